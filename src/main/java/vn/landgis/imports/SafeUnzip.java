package vn.landgis.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks an uploaded zip into a fresh folder, refusing what a hostile archive does: entries that climb out of the
 * folder or are absolute (zip slip), more entries or more bytes than a delivery has (zip bombs: counted on the
 * bytes actually inflated, not on the sizes the archive claims), and nested archives are kept as files. Entry names
 * are read as UTF-8 (as the archive's flag or the tools of today write them), else in Vietnamese Windows' code page
 * (windows-1258: Windows' own "compressed folder" wrote names so, unflagged, and a name like "Xã Tân Bình/Tờ 3.dgn"
 * failed the whole upload), and kept in NFC (macOS writes them decomposed).
 */
final class SafeUnzip {

    static final int MAX_ENTRIES = 2_000;

    private SafeUnzip() {
    }

    /** Opens the archive's bytes anew (a second reading when its names are not UTF-8). */
    interface Source {
        InputStream open() throws IOException;
    }

    static Path unzip(Source zip, Path into, long maxBytes) throws IOException {
        try (InputStream in = zip.open()) {
            return unzip(in, into, maxBytes, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | java.util.zip.ZipException e) {
            if (!badName(e)) {
                throw e;
            }
            // a name that is not UTF-8, the archive not saying it is in another encoding: Windows' code page
            emptyFolder(into);
            try (InputStream in = zip.open()) {
                return unzip(in, into, maxBytes, Charset.forName("windows-1258"));
            } catch (IllegalArgumentException | java.util.zip.ZipException again) {
                if (!badName(again)) {
                    throw again;
                }
                throw new IOException("Tên tệp trong tệp nén không phải UTF-8 hay windows-1258: nén lại lô bằng công cụ mới / the archive's file names are "
                        + "neither UTF-8 nor windows-1258: zip the delivery again with a current tool");
            }
        }
    }

    /** java.util.zip's answers to an entry name its charset cannot decode (an IllegalArgumentException, alone or as the cause). */
    private static boolean badName(Exception e) {
        return e instanceof IllegalArgumentException || e.getCause() instanceof IllegalArgumentException;
    }

    private static void emptyFolder(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }

    private static Path unzip(InputStream zip, Path into, long maxBytes, Charset names) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        long total = 0;
        int entries = 0;
        byte[] buffer = new byte[1 << 16];
        try (ZipInputStream in = new ZipInputStream(zip, names)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (++entries > MAX_ENTRIES) {
                    throw new IOException("Tệp nén có hơn " + MAX_ENTRIES + " tệp / the archive holds more than " + MAX_ENTRIES + " entries");
                }
                String name = Normalizer.normalize(e.getName().replace('\\', '/'), Normalizer.Form.NFC);
                Path target = root.resolve(name).normalize();
                if (name.startsWith("/") || name.contains("../") || name.startsWith("..") || !target.startsWith(root) || name.contains(":")) {
                    throw new IOException("Tệp '" + name + "' trong tệp nén trỏ ra ngoài thư mục lô (zip slip): bị từ chối / the archive entry '" + name
                            + "' points outside the delivery (zip slip)");
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
                            throw new IOException("Tệp nén giải nén ra hơn " + maxBytes / (1024 * 1024) + " MB (zip bomb?) / the archive unpacks to more than "
                                    + maxBytes / (1024 * 1024) + " MB (zip bomb?)");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        }
        if (entries == 0) {
            throw new IOException("Không phải tệp .zip, hoặc tệp nén rỗng / not a zip archive, or an empty one");
        }
        return root;
    }
}
