package vn.landgis.imports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import vn.landgis.geo.Ogr2Ogr;
import vn.landgis.geo.SupportedCrs;
import vn.landgis.geo.VietnameseEncoding;

/**
 * Reads a MapInfo table ({@code .tab} with its {@code .dat}/{@code .map}/{@code .id}, or {@code .mif}/{@code .mid})
 * of parcel regions: GDAL's {@code ogr2ogr} converts it into a temporary GeoPackage that {@link GeoPackageReader}
 * reads. District tables are often TCVN3 or VNI text declared as "Neutral" or as a Latin charset (the table was
 * made on a Windows with a Latin locale and .VnTime or VNI fonts). GDAL would recode a declared Latin charset into
 * UTF-8 and turn such text into mojibake, so the table is converted from a copy of its header that declares
 * "Neutral" (the data files are linked, not copied), GDAL carries the bytes through unchanged, and the text is decided
 * here from the bytes ({@link VietnameseEncoding#detect}), with the declared charset as a hint and said in the report,
 * unless the manifest names the encoding. The CRS comes from the table's CoordSys as GDAL translates it.
 */
final class MapInfoReader implements DeliveryReader {

    private final Path tmp;
    private final GeoPackageReader converted;
    private final EncodingChoice encoding;
    private final int srid;

    MapInfoReader(Path table, VietnameseEncoding forced) throws IOException {
        tmp = Files.createTempDirectory("mapinfo");
        Path gpkg = tmp.resolve("converted.gpkg");
        try {
            String charset = declaredCharset(table);
            Path neutral = charset == null || charset.equalsIgnoreCase("Neutral") ? table : neutralCopy(table, tmp.resolve("neutral"));
            Ogr2Ogr.convert("GPKG", gpkg, neutral, List.of("-nln", "parcels", "-nlt", "PROMOTE_TO_MULTI"), Ogr2Ogr.DEFAULT_TIMEOUT);
            byte[] sample;
            int declared;
            try (GeoPackageReader probe = new GeoPackageReader(gpkg)) {
                sample = probe.textSample(1 << 16);
                declared = probe.declaredSrid();
                if (SupportedCrs.bySrid(declared).isEmpty()) {
                    declared = PrjInterpreter.srid(probe.srsDefinition());
                }
            }
            srid = declared;
            VietnameseEncoding.Detection detected = VietnameseEncoding.detect(sample);
            VietnameseEncoding hint = charset == null ? null : switch (charset.toLowerCase(Locale.ROOT)) {
                case "utf-8", "utf8" -> VietnameseEncoding.UTF8;
                case "windowsvietnamese" -> VietnameseEncoding.WINDOWS_1258;
                default -> null;
            };
            encoding = hint != null
                    ? EncodingChoice.choose(detected, forced, hint, "the MapInfo table declares " + charset, "")
                    : EncodingChoice.choose(detected, forced, null, "", charset == null || charset.equalsIgnoreCase("Neutral")
                            ? "the MapInfo table declares no usable charset"
                            : "the MapInfo table declares " + charset + ", which cannot hold Vietnamese (read as bytes)");
            converted = new GeoPackageReader(gpkg, List.of("parcels"), "parcel", encoding.encoding()::decode);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static final Pattern TAB_CHARSET = Pattern.compile("(?im)^\\s*!charset\\s+\"?([A-Za-z0-9_-]+)\"?\\s*$");
    private static final Pattern MIF_CHARSET = Pattern.compile("(?im)^\\s*charset\\s+\"([^\"]*)\"\\s*$");
    private static final int HEADER_BYTES = 64 * 1024;

    private static boolean isMif(Path table) {
        return table.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".mif");
    }

    /** The charset the table's header declares, or null (a MIF's header ends at its {@code Data} line). */
    static String declaredCharset(Path table) throws IOException {
        String header = header(table);
        Matcher m = (isMif(table) ? MIF_CHARSET : TAB_CHARSET).matcher(header);
        return m.find() ? m.group(1) : null;
    }

    private static String header(Path table) throws IOException {
        byte[] head;
        try (var in = Files.newInputStream(table)) {
            head = in.readNBytes(HEADER_BYTES);
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (isMif(table)) {
            Matcher data = Pattern.compile("(?im)^\\s*data\\s*$").matcher(text);
            return data.find() ? text.substring(0, data.start()) : text;
        }
        return text;
    }

    /**
     * The table under {@code dir} with its charset declared "Neutral": a rewritten header (the .tab, or the .mif
     * streamed through with its one Charset line replaced), the other files of the table linked beside it.
     */
    private static Path neutralCopy(Path table, Path dir) throws IOException {
        Files.createDirectories(dir);
        String name = table.getFileName().toString();
        String base = name.substring(0, name.lastIndexOf('.'));
        Path copy = dir.resolve(name);
        if (isMif(table)) {
            try (var in = Files.newInputStream(table); var out = Files.newOutputStream(copy)) {
                byte[] head = in.readNBytes(HEADER_BYTES);
                String text = new String(head, StandardCharsets.ISO_8859_1);
                Matcher m = MIF_CHARSET.matcher(header(table));
                if (m.find()) {
                    text = text.substring(0, m.start()) + "Charset \"Neutral\"" + text.substring(m.end());
                }
                out.write(text.getBytes(StandardCharsets.ISO_8859_1));
                in.transferTo(out);
            }
        } else {
            String text = Files.readString(table, StandardCharsets.ISO_8859_1);
            Files.writeString(copy, TAB_CHARSET.matcher(text).replaceFirst("!charset Neutral"), StandardCharsets.ISO_8859_1);
        }
        try (var siblings = Files.list(table.toAbsolutePath().getParent())) {
            for (Path sibling : siblings.toList()) {
                String other = sibling.getFileName().toString();
                int dot = other.lastIndexOf('.');
                if (dot > 0 && other.substring(0, dot).equalsIgnoreCase(base) && !other.equals(name) && Files.isRegularFile(sibling)) {
                    Files.createSymbolicLink(dir.resolve(other), sibling.toAbsolutePath());
                }
            }
        }
        return copy;
    }

    @Override
    public int declaredSrid() {
        return srid;
    }

    @Override
    public double[] extent() {
        return converted.extent();
    }

    @Override
    public String[] encodingDoubt() {
        return encoding.doubt();
    }

    @Override
    public String encodingNote() {
        return encoding.toString();
    }

    @Override
    public long featureCount() {
        return converted.featureCount();
    }

    @Override
    public void forEach(Consumer<SourceFeature> feature) throws IOException {
        converted.forEach(feature);
    }

    @Override
    public void close() throws IOException {
        if (converted != null) {
            converted.close();
        }
        // links are deleted, never followed
        try (var files = Files.walk(tmp)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
