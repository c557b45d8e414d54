package vn.landgis.generator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.operation.linemerge.LineMerger;

import vn.landgis.geo.Ogr2Ogr;

/**
 * Writes the district as FAMIS draws it: one CAD file per map sheet ({@code <commune>_<sheet>.dgn} or {@code .dxf}),
 * holding the parcels' boundary <em>lines</em> (each boundary once, merged into polylines) and a label text per
 * parcel inside it ({@code "number\ncode\narea"}; DXF sheets get the three parts as separate texts). GDAL's
 * {@code ogr2ogr} writes the files from a temporary GeoJSON: DGN v7 with 1 000 units per metre, DXF as is.
 *
 * <p>Line defects for tests: a gap of {@link #GAP_M} cut out of a boundary between two parcels of a sheet (the two
 * merge into one polygon with two labels, and two dangles appear), and a doubled label.
 */
public final class FamisWriter {

    /** The length of an injected gap, far beyond the importer's snap tolerance. */
    public static final double GAP_M = 0.5;

    /** An injected line defect: {@code line-gap} on the boundary of a parcel, or {@code doubled-label}. */
    public record LineDefect(String kind, String communeCode, int sheetNo, int parcelNo) {
    }

    private FamisWriter() {
    }

    /**
     * Writes the sheets of {@code d} into {@code dir} as {@code format} ("dgn" or "dxf") with the given rates (of
     * parcels) of line defects; returns the defects injected, also written to {@code dir/famis-defects.csv}.
     */
    public static List<LineDefect> write(SyntheticDistrict d, Path dir, String format, double gapRate, double doubledLabelRate)
            throws IOException {
        if (!format.equals("dgn") && !format.equals("dxf")) {
            throw new IllegalArgumentException("FAMIS sheets are dgn or dxf, not " + format);
        }
        Files.createDirectories(dir);
        Random random = new Random(d.options().seed() * 31 + format.hashCode());
        Map<String, List<GeneratedParcel>> sheets = new LinkedHashMap<>();
        for (GeneratedParcel p : d.parcels()) {
            sheets.computeIfAbsent(p.communeCode + "_" + p.sheetNo, k -> new ArrayList<>()).add(p);
        }
        List<LineDefect> defects = new ArrayList<>();
        Path tmp = Files.createTempFile(dir, "famis", ".geojson");
        try {
            for (var sheet : sheets.entrySet()) {
                writeSheet(sheet.getValue(), tmp, format, random, gapRate, doubledLabelRate, defects);
                Path out = dir.resolve(sheet.getKey() + "." + format);
                Files.deleteIfExists(out);
                List<String> options = format.equals("dgn") ? dgnOptions(sheet.getValue()) : List.of();
                Ogr2Ogr.convert(format.equals("dgn") ? "DGN" : "DXF", out, tmp, options, Ogr2Ogr.DEFAULT_TIMEOUT);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        StringBuilder csv = new StringBuilder("kind,commune_code,sheet_no,parcel_no\n");
        defects.forEach(x -> csv.append(x.kind()).append(',').append(x.communeCode()).append(',').append(x.sheetNo()).append(',')
                .append(x.parcelNo()).append('\n'));
        Files.writeString(dir.resolve("famis-defects.csv"), csv, StandardCharsets.UTF_8);
        return defects;
    }

    /** DGN v7 coordinates are 32-bit integers: millimetres while they fit, else centimetres. */
    private static List<String> dgnOptions(List<GeneratedParcel> parcels) {
        double max = 0;
        for (GeneratedParcel p : parcels) {
            for (double[] ring : p.rings) {
                for (double v : ring) {
                    max = Math.max(max, Math.abs(v));
                }
            }
        }
        int uor = max * 1000 < 2.0e9 ? 1000 : 100;
        return List.of("-dsco", "UOR_PER_SUB_UNIT=" + uor, "-dsco", "SUB_UNITS_PER_MASTER_UNIT=1", "-dsco", "ORIGIN=0,0,0");
    }

    private static void writeSheet(List<GeneratedParcel> parcels, Path geojson, String format, Random random, double gapRate,
                                   double doubledLabelRate, List<LineDefect> defects) throws IOException {
        GeometryFactory gf = new GeometryFactory();
        // every boundary segment once, keyed by its ends to the millimetre; who uses it
        Map<String, Coordinate[]> segments = new LinkedHashMap<>();
        Map<String, List<GeneratedParcel>> users = new LinkedHashMap<>();
        for (GeneratedParcel p : parcels) {
            for (double[] ring : p.rings) {
                int n = ring.length / 2;
                for (int i = 0; i < n; i++) {
                    int j = (i + 1) % n;   // closes unclosed rings too: FAMIS lines have no such defect
                    Coordinate a = new Coordinate(ring[2 * i], ring[2 * i + 1]);
                    Coordinate b = new Coordinate(ring[2 * j], ring[2 * j + 1]);
                    if (a.distance(b) < 1e-3) {
                        continue;
                    }
                    String key = key(a, b);
                    segments.putIfAbsent(key, new Coordinate[] {a, b});
                    List<GeneratedParcel> u = users.computeIfAbsent(key, k -> new ArrayList<>());
                    if (!u.contains(p)) {
                        u.add(p);
                    }
                }
            }
        }
        // gaps: cut out of a boundary shared by two parcels of this sheet, each parcel in at most one defect
        Set<GeneratedParcel> touched = new HashSet<>();
        List<Coordinate[]> pieces = new ArrayList<>();
        for (GeneratedParcel p : parcels) {
            if (gapRate <= 0 || random.nextDouble() >= gapRate || touched.contains(p)) {
                continue;
            }
            for (var e : users.entrySet()) {
                List<GeneratedParcel> u = e.getValue();
                Coordinate[] s = segments.get(e.getKey());
                if (u.size() == 2 && u.contains(p) && !touched.contains(u.get(0)) && !touched.contains(u.get(1))
                        && s[0].distance(s[1]) > 4 * GAP_M && u.get(0).rings.length == 1 && u.get(1).rings.length == 1) {
                    double f = (0.5 - GAP_M / 2 / s[0].distance(s[1]));
                    Coordinate m1 = new Coordinate(s[0].x + f * (s[1].x - s[0].x), s[0].y + f * (s[1].y - s[0].y));
                    Coordinate m2 = new Coordinate(s[1].x - f * (s[1].x - s[0].x), s[1].y - f * (s[1].y - s[0].y));
                    segments.remove(e.getKey());
                    pieces.add(new Coordinate[] {s[0], m1});
                    pieces.add(new Coordinate[] {m2, s[1]});
                    touched.addAll(u);
                    defects.add(new LineDefect("line-gap", p.communeCode, p.sheetNo, p.parcelNo));
                    break;
                }
            }
        }
        LineMerger merger = new LineMerger();
        for (Coordinate[] s : segments.values()) {
            merger.add(gf.createLineString(s));
        }
        @SuppressWarnings("unchecked")
        List<LineString> lines = new ArrayList<>((java.util.Collection<LineString>) merger.getMergedLineStrings());
        for (Coordinate[] s : pieces) {
            lines.add(gf.createLineString(s));   // the two ends of a gap stay separate lines
        }
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(geojson, StandardCharsets.UTF_8), 1 << 16)) {
            w.write("{\"type\":\"FeatureCollection\",\"features\":[\n");
            boolean first = true;
            StringBuilder sb = new StringBuilder(1024);
            for (LineString l : lines) {
                sb.setLength(0);
                sb.append(first ? "" : ",\n").append("{\"type\":\"Feature\",\"properties\":{\"OGR_STYLE\":\"PEN(c:#000000)\"},")
                        .append("\"geometry\":{\"type\":\"LineString\",\"coordinates\":[");
                Coordinate[] cs = l.getCoordinates();
                for (int i = 0; i < cs.length; i++) {
                    sb.append(i == 0 ? "[" : ",[");
                    Fmt.fixed(sb, cs[i].x, 3);
                    sb.append(',');
                    Fmt.fixed(sb, cs[i].y, 3);
                    sb.append(']');
                }
                sb.append("]}}");
                w.append(sb);
                first = false;
            }
            for (GeneratedParcel p : parcels) {
                String area = Fmt.fixed(p.legalArea, 1);
                List<String> texts = format.equals("dgn")
                        ? List.of(p.parcelNo + "\\\\n" + p.landUse + "\\\\n" + area)
                        : List.of(Integer.toString(p.parcelNo), p.landUse, area);
                boolean doubled = doubledLabelRate > 0 && !touched.contains(p) && random.nextDouble() < doubledLabelRate;
                if (doubled) {
                    touched.add(p);
                    defects.add(new LineDefect("doubled-label", p.communeCode, p.sheetNo, p.parcelNo));
                }
                for (int copy = 0; copy < (doubled ? 2 : 1); copy++) {
                    for (String t : texts) {
                        w.append(",\n").append(label(t, p.labelX, p.labelY));
                    }
                }
            }
            w.write("\n]}\n");
        }
    }

    /** A text as a GDAL LABEL style on a point (what the DGN and DXF writers turn into a text element). */
    private static String label(String text, double x, double y) {
        String t = text.replace("\"", "");
        return String.format(Locale.ROOT, "{\"type\":\"Feature\",\"properties\":{\"OGR_STYLE\":\"LABEL(f:\\\"Arial\\\",t:\\\"%s\\\",s:1g)\"},"
                + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.3f,%.3f]}}", t, x, y);
    }

    private static String key(Coordinate a, Coordinate b) {
        long ax = Math.round(a.x * 1000);
        long ay = Math.round(a.y * 1000);
        long bx = Math.round(b.x * 1000);
        long by = Math.round(b.y * 1000);
        return ax < bx || (ax == bx && ay <= by) ? ax + "," + ay + "," + bx + "," + by : bx + "," + by + "," + ax + "," + ay;
    }
}
