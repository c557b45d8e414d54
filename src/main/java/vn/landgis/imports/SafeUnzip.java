package vn.landgis.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks an uploaded zip into a fresh folder, refusing what a hostile archive does: entries that climb out of the
 * folder or are absolute (zip slip), more entries or more bytes than a delivery has (zip bombs: counted on the
 * bytes actually inflated, not on the sizes the archive claims), and nested archives are kept as files.
 */
final class SafeUnzip {

    static final int MAX_ENTRIES = 2_000;

    private SafeUnzip() {
    }

    static Path unzip(InputStream zip, Path into, long maxBytes) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        long total = 0;
        int entries = 0;
        byte[] buffer = new byte[1 << 16];
        try (ZipInputStream in = new ZipInputStream(zip)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (++entries > MAX_ENTRIES) {
                    throw new IOException("the archive holds more than " + MAX_ENTRIES + " entries");
                }
                String name = e.getName().replace('\\', '/');
                Path target = root.resolve(name).normalize();
                if (name.startsWith("/") || name.contains("../") || name.startsWith("..") || !target.startsWith(root) || name.contains(":")) {
                    throw new IOException("the archive entry '" + name + "' points outside the delivery (zip slip)");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        total += n;
                        if (total > maxBytes) {
                            throw new IOException("the archive unpacks to more than " + maxBytes / (1024 * 1024) + " MB (zip bomb?)");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        }
        if (entries == 0) {
            throw new IOException("not a zip archive, or an empty one");
        }
        return root;
    }
}
