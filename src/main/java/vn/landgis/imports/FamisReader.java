package vn.landgis.imports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.noding.NodedSegmentString;
import org.locationtech.jts.noding.SegmentString;
import org.locationtech.jts.noding.snap.SnappingNoder;
import org.locationtech.jts.operation.polygonize.Polygonizer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import vn.landgis.geo.Ogr2Ogr;

/**
 * Reads FAMIS-style CAD map sheets (MicroStation DGN v7 or DXF, one file per map sheet) through GDAL's
 * {@code ogr2ogr}: parcels drawn as boundary <em>lines</em> with label <em>texts</em>, not as polygons. The lines
 * are noded with near-misses snapped together ({@link #SNAP_M}), polygonised with JTS, and each polygon takes the
 * label found inside it: parcel number, land-use code and area, as one text ({@code "123\nODT\n245.6"}) or as
 * separate texts. The file name gives the sheet, and the commune when it begins with the commune's code
 * ({@code 26734_12.dgn}, {@code 26734-To12.dxf}); else the file's name or a folder above it names the commune
 * ({@code Xã Tân Bình/Tờ 12.dgn}, {@code 26734/To12.dgn}, {@code TanBinh_To12.dxf}), else the manifest's
 * {@code commune} is its commune ({@link #sheetOf}). The manifest's {@code boundaryLevels} and {@code labelLevels}
 * ({@link CadLevels}) keep what else a sheet draws (houses, roads, the frame) out of the parcels; the levels a
 * delivery holds are reported either way ({@code famis-levels}).
 *
 * <p>Findings: lines that bound no polygon (dangles, cut edges), polygons without a label (not imported),
 * polygons with two or more labels (an error: two parcels merged by a broken line, or a doubled label), labels
 * outside every polygon. One sheet is in memory at a time.
 */
final class FamisReader implements DeliveryReader {

    /** Line ends and vertices closer than this are the same point (digitising near-misses), metres. */
    static final double SNAP_M = 0.05;
    /** A sheet converted to GeoJSON larger than this is refused (a FAMIS sheet is a few MB). */
    static final long MAX_SHEET_BYTES = 512L << 20;

    private static final Pattern SHEET_NAME = Pattern.compile("^(\\d{5})[ _.-]*(?:to|t|sheet|s)?[ _.-]*0*(\\d{1,5})(?:\\D.*)?$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern INTEGER = Pattern.compile("\\d{1,9}");
    /** An area with its decimals, as written: "245.6", "245,6", "1.234,5", "1,234.5" (the import reads each notation). */
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,3}(?:\\.\\d{3})+,\\d+|\\d{1,3}(?:,\\d{3})+\\.\\d+|\\d{1,9}[.,]\\d+");
    /** A land-use code written in capitals beside its area ("ODT 245.6"), or several ("ONT+CLN"). */
    private static final Pattern CAPITAL_CODE = Pattern.compile("[A-ZĐ]{2,4}(?:\\+[A-ZĐ]{2,4})*");
    /** An area's unit after its number: "245.6 m2", "245,6m²". */
    private static final Pattern AREA_UNIT = Pattern.compile("(?i)(?<=\\d)\\s*(?:m2|m²|m\\^2)(?![\\p{L}\\d])");
    /** FAMIS's fraction label: the parcel's number over its area ("10/200.7"). */
    private static final Pattern FRACTION = Pattern.compile("(?<![\\d/])(\\d{1,9})\\s*/\\s*(\\d[\\d.,]*[.,]\\d+|1[3-9]|[2-9]\\d|[1-9]\\d{2,8})(?![\\d/])");   // an integer area above 12: "19/12" is a date
    private static final Pattern CODE = Pattern.compile("[A-Za-zĐđ][A-Za-z0-9Đđ+]*");

    private final List<Path> files;
    private final Path root;
    private final CommuneText communes;
    private final boolean manifestCommune;
    private final String manifestCommuneCode;
    private final CadLevels levels;
    /** Lines and texts by level over the delivery: level → {lines, texts}, and whether it was used. */
    private final Map<String, long[]> seen = new java.util.TreeMap<>();
    private final ObjectMapper json = new ObjectMapper();
    private final GeometryFactory geometries = new GeometryFactory();
    private final List<Finding> findings = new ArrayList<>();

    FamisReader(List<Path> files) throws IOException {
        this(null, files, new CommuneText(Map.of()), Manifest.NONE);
    }

    /**
     * The sheets {@code files} of the delivery in the folder {@code root} (null: a file alone), whose folders and
     * names may name the communes of the district ({@code communes}); {@code manifest}'s commune and levels.
     */
    FamisReader(Path root, List<Path> files, CommuneText communes, Manifest manifest) throws IOException {
        if (files.isEmpty()) {
            throw new IOException("no DGN or DXF map sheets");
        }
        this.root = root;
        this.communes = communes;
        this.manifestCommune = manifest.commune() != null;
        this.manifestCommuneCode = manifest.commune();
        this.levels = manifest.cadLevels();
        this.files = files.stream().sorted().toList();
        for (Path file : this.files) {
            if (isDgnV8(file)) {
                throw new IOException(file.getFileName() + " là tệp MicroStation V8; GDAL chỉ đọc DGN V7: lưu lại dạng V7 (File > Save As > V7 DGN) "
                        + "hoặc xuất ra DXF / " + file.getFileName() + " is a MicroStation V8 file; GDAL reads DGN V7 only: save it as V7 "
                        + "(File > Save As > V7 DGN) or export it to DXF");
            }
        }
    }

    /** A MicroStation V8 DGN: an OLE compound document (its first bytes D0 CF 11 E0), not the V7 format GDAL reads. */
    static boolean isDgnV8(Path file) throws IOException {
        if (!file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".dgn")) {
            return false;
        }
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && (head[0] & 0xff) == 0xd0 && (head[1] & 0xff) == 0xcf && (head[2] & 0xff) == 0x11 && (head[3] & 0xff) == 0xe0;
        }
    }

    @Override
    public int declaredSrid() {
        return 0;   // DGN v7 and DXF carry no CRS: the manifest's, else the district's own TM-3 system
    }

    @Override
    public long featureCount() {
        return -1;
    }

    @Override
    public String encodingNote() {
        return "FAMIS lines and labels: " + files.size() + " map sheet file(s), snap tolerance " + SNAP_M + " m";
    }

    @Override
    public List<Finding> findings() {
        return findings;
    }

    /** A text that reads as no part of a label, where it stands. */
    record Unread(String text, Point at) {
    }

    /** A label: parcel number, land-use code and area as written (any may be missing but the number). */
    record Label(Integer number, String code, String area, Point at) {
    }

    /** A built sheet: labelled polygons as features, plus what did not fit. */
    record Sheet(List<Map.Entry<Label, Polygon>> parcels, List<Finding> findings) {
    }

    @Override
    public void forEach(Consumer<SourceFeature> consumer) throws IOException {
        int n = 0;
        Path tmp = Files.createTempDirectory("famis");
        Map<SheetId, Path> read = new java.util.HashMap<>();
        try {
            for (Path file : files) {
                SheetId id = sheetOf(root, file, communes);
                String commune = id.commune();
                Integer sheetNo = id.sheet();
                if (manifestCommune && !SHEET_NAME.matcher(Normalizer.normalize(file.getFileName().toString(), Normalizer.Form.NFC)
                        .replaceAll("\\.[^.]*$", "")).matches()) {
                    commune = null;   // the manifest's commune, which the import gives the features without one, wins over a folder's name
                    id = new SheetId(manifestCommuneCode, sheetNo);
                }
                // the file as the delivery holds it ("Xã Tân Bình/Tờ 1.dgn"): ten communes may each have a "Tờ 1.dgn"
                String name = root == null ? file.getFileName().toString() : root.relativize(file).toString();
                Path twice = id.sheet() != null && id.commune() != null ? read.putIfAbsent(id, file) : null;
                if (twice != null) {
                    String first = root == null ? twice.getFileName().toString() : root.relativize(twice).toString();
                    findings.add(new Finding("error", "famis-sheet-twice", id.commune(), sheetNo, null, Double.NaN, Double.NaN,
                            "Tờ " + sheetNo + " của xã " + id.commune() + " được giao hai lần: " + first + " và " + name + "; chỉ đọc " + first
                                    + " (bỏ một tệp khỏi lô)",
                            "sheet " + sheetNo + " of commune " + id.commune() + " is delivered twice: " + first + " and " + name + "; only " + first
                                    + " was read (leave one of them out)"));
                    continue;
                }
                if (sheetNo == null || (commune == null && !manifestCommune)) {
                    findings.add(new Finding("error", "famis-sheet-name", commune, sheetNo, null, Double.NaN, Double.NaN,
                            "Tên tệp " + name + " không cho biết " + (sheetNo == null ? "số tờ" : "xã")
                                    + ": đặt tên MaXa_SoTo (ví dụ 26734_12.dgn), hoặc để các tờ trong thư mục mang mã hoặc tên xã (ví dụ \"Xã Tân Bình/Tờ 12.dgn\"), "
                                    + "hoặc ghi mã xã trong manifest (\"commune\")",
                            "the file name " + name + " gives no " + (sheetNo == null ? "sheet number" : "commune")
                                    + ": name it CommuneCode_Sheet (e.g. 26734_12.dgn), or put the sheets in a folder named with the commune's code or name "
                                    + "(e.g. \"Xã Tân Bình/Tờ 12.dgn\"), or give the commune's code in the manifest (\"commune\")"));
                }
                Path out = tmp.resolve(n + "-" + files.indexOf(file) + ".geojson");
                // a Vietnamese AutoCAD drawing ($DWGCODEPAGE ANSI_1258): GDAL 3.6's recoding drops the last letter of
                // every layer name and text ("Ranh thửa" → "Ranh thử", "ODT" → "OD"); read byte for byte, decoded here
                // (a DXF of AutoCAD 2007 or later, $ACADVER AC1021 on, is UTF-8 whatever code page it names: read as such)
                boolean utf8 = dxfUtf8(file);
                recode1258 = !utf8 && dxfCodePage1258(file);
                Ogr2Ogr.convert("GeoJSON", out, file, utf8 ? List.of("--config", "DXF_ENCODING", "UTF-8")
                        : recode1258 ? List.of("--config", "DXF_ENCODING", "ISO-8859-1") : List.of(), Ogr2Ogr.DEFAULT_TIMEOUT);
                if (Files.size(out) > MAX_SHEET_BYTES) {
                    throw new IOException(file.getFileName() + " is too large for one map sheet");
                }
                List<LineString> lines = new ArrayList<>();
                List<Label> labels = new ArrayList<>();
                List<Unread> unread = new ArrayList<>();
                read(json.readTree(out.toFile()), lines, labels, unread);
                Files.delete(out);
                Sheet sheet = build(lines, labels, unread, commune, sheetNo);
                findings.addAll(sheet.findings());
                for (var e : sheet.parcels()) {
                    Label l = e.getKey();
                    Map<String, String> attributes = new LinkedHashMap<>();
                    attributes.put("MaXa", commune);
                    attributes.put("SoTo", sheetNo == null ? null : sheetNo.toString());
                    attributes.put("SoThua", l.number().toString());
                    attributes.put("MucDichSD", l.code());
                    attributes.put("DienTich", l.area());
                    consumer.accept(new SourceFeature(++n, attributes, java.util.Collections.singletonList(rings(e.getValue()))));
                }
            }
            levelsFinding();
        } catch (tools.jackson.core.JacksonException e) {
            throw new IOException("GDAL's conversion of a map sheet is not readable: " + e.getOriginalMessage(), e);
        } finally {
            try (var left = Files.list(tmp)) {
                for (Path p : left.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(tmp);
        }
    }

    /** Whether the sheet being read is a DXF in windows-1258, its texts read as bytes (ISO-8859-1) to be decoded. */
    private boolean recode1258;

    /** A DXF's header (its first 64 KB, byte for byte), or null for another file. */
    private static String dxfHeader(Path file) throws IOException {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dxf")) {
            return null;
        }
        try (var in = Files.newInputStream(file)) {
            return new String(in.readNBytes(1 << 16), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** Whether a DXF is of AutoCAD 2007 or later ({@code $ACADVER} AC1021 on), whose texts are UTF-8. */
    static boolean dxfUtf8(Path file) throws IOException {
        String header = dxfHeader(file);
        Matcher m = header == null ? null : Pattern.compile("\\$ACADVER\\s+1\\s+AC(\\d{4})").matcher(header);
        return m != null && m.find() && Integer.parseInt(m.group(1)) >= 1021;
    }

    /** Whether a DXF says its texts are in windows-1258 ({@code $DWGCODEPAGE ANSI_1258} in its header). */
    static boolean dxfCodePage1258(Path file) throws IOException {
        String header = dxfHeader(file);
        Matcher m = header == null ? null : Pattern.compile("\\$DWGCODEPAGE\\s+3\\s+(\\S+)").matcher(header);
        return m != null && m.find() && m.group(1).equalsIgnoreCase("ANSI_1258");
    }

    /** A text of the sheet as written: decoded from windows-1258 when GDAL handed over its bytes. */
    private String text(String s) {
        if (!recode1258 || s == null || s.chars().anyMatch(c -> c > 0xFF)) {
            return s;   // a character GDAL decoded itself (a \\U+1EED escape) is no byte to decode again
        }
        return Normalizer.normalize(vn.landgis.geo.VietnameseEncoding.WINDOWS_1258.decode(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)),
                Normalizer.Form.NFC);
    }

    /**
     * Lines (LineString, MultiLineString, polygon rings) and texts (points with a Text) of GDAL's GeoJSON, of the
     * levels the manifest names (a DGN element's {@code Level}, a DXF entity's {@code Layer}), counted by level.
     */
    private void read(JsonNode collection, List<LineString> lines, List<Label> labels, List<Unread> unread) {
        for (JsonNode f : collection.path("features")) {
            JsonNode g = f.path("geometry");
            String type = g.path("type").asString("");
            JsonNode c = g.path("coordinates");
            JsonNode properties = f.path("properties");
            JsonNode levelNode = properties.has("Level") ? properties.get("Level") : properties.path("Layer");
            String level = levelNode.isMissingNode() || levelNode.isNull() ? "" : text(levelNode.asString(""));
            boolean line = type.equals("LineString") || type.equals("MultiLineString") || type.equals("Polygon") || type.equals("MultiPolygon");
            String text = type.equals("Point") ? text(properties.path("Text").asString("")) : "";
            if (!line && text.isBlank()) {
                continue;
            }
            long[] count = seen.computeIfAbsent(level, k -> new long[3]);
            count[line ? 0 : 1]++;
            if (line ? !levels.boundary(level) : !levels.label(level)) {
                continue;
            }
            count[2] = 1;
            switch (type) {
                case "LineString" -> addLine(lines, c);
                case "MultiLineString", "Polygon" -> c.forEach(l -> addLine(lines, l));
                case "MultiPolygon" -> c.forEach(p -> p.forEach(l -> addLine(lines, l)));
                default -> {
                    Point at = geometries.createPoint(new Coordinate(c.get(0).asDouble(), c.get(1).asDouble()));
                    List<Label> parsed = parse(text, at);
                    if (parsed.isEmpty()) {
                        unread.add(new Unread(text.strip(), at));   // quoted if its polygon has no label
                    } else {
                        labels.addAll(parsed);
                    }
                }
            }
        }
    }

    /**
     * One {@code famis-levels} finding for the delivery when its sheets draw on more than one level: what each holds
     * and which were read, so that a district whose houses or roads cut its parcels names its levels in the manifest
     * (a warning when levels were named and none of them held anything).
     */
    private void levelsFinding() {
        if (seen.size() < 2 && levels.all()) {
            return;
        }
        StringBuilder vi = new StringBuilder();
        StringBuilder en = new StringBuilder();
        seen.forEach((level, c) -> {
            String name = level.isEmpty() ? "?" : level;
            vi.append(vi.isEmpty() ? "" : "; ").append(name).append(": ").append(c[0]).append(" đường, ").append(c[1]).append(" chữ")
                    .append(c[2] == 0 ? " (bỏ qua)" : "");
            en.append(en.isEmpty() ? "" : "; ").append(name).append(": ").append(c[0]).append(c[0] == 1 ? " line, " : " lines, ")
                    .append(c[1]).append(c[1] == 1 ? " text" : " texts")
                    .append(c[2] == 0 ? " (not read)" : "");
        });
        boolean nothing = seen.values().stream().noneMatch(c -> c[2] == 1);
        findings.add(new Finding(nothing ? "warning" : "info", "famis-levels", null, null, null, Double.NaN, Double.NaN,
                "Các tờ vẽ trên " + seen.size() + " lớp (level/layer) " + vi + (levels.all()
                        ? ". Đã đọc mọi lớp; nếu nhà, đường, khung tờ cắt thửa, ghi lớp ranh thửa và lớp nhãn trong manifest (\"boundaryLevels\", \"labelLevels\")"
                        : nothing ? ". Không lớp nào trong manifest có nét vẽ: kiểm tra \"boundaryLevels\", \"labelLevels\"" : ". Chỉ đọc các lớp manifest ghi"),
                "the sheets draw on " + seen.size() + " levels (DGN levels or DXF layers): " + en + (levels.all()
                        ? ". Every level was read; if houses, roads or the sheet's frame cut the parcels, name the boundary and label levels in the manifest (\"boundaryLevels\", \"labelLevels\")"
                        : nothing ? ". None of the manifest's levels holds anything: check \"boundaryLevels\" and \"labelLevels\"" : ". Only the manifest's levels were read")));
    }

    /** A map sheet's commune code (null: not told) and number (null: not told). */
    record SheetId(String commune, Integer sheet) {
    }

    /** Words that name a map sheet before its number ("Tờ 12", "To_bd_12", "T12", "Sheet 12", "Mảnh 12"). */
    private static final Pattern SHEET_WORD = Pattern.compile("(?:^|[^a-z0-9])(?:to ?ban ?do|to ?bd|tbd|to ?so|to|t|so ?to|sheet|manh)[ _.#-]*0*(\\d{1,4})(?![0-9])");
    /** Words that may name a sheet but also a map's year ("BĐ 2024", "DC 2019"): taken only without a sheet word, never a year. */
    private static final Pattern MAP_WORD = Pattern.compile("(?:^|[^a-z0-9])(?:bd|ban ?do|dc)[ _.#-]*0*(\\d{1,4})(?![0-9])");
    private static final Pattern NUMBER_GROUP = Pattern.compile("(?<![0-9])\\d{1,5}(?![0-9])");

    /**
     * The commune and sheet a FAMIS file stands for. Its name: the commune's code and the sheet ({@code 26734_12},
     * {@code 26734-To12}); else the sheet from a number after a sheet word ({@code Tờ 12}, {@code To_12}, {@code T12},
     * {@code TBD12}) or the name's only number ({@code 12}, {@code DC 12}), and the commune from the rest of the name
     * ({@code TanBinh_To12}, {@code Phuong 1 - To 12}) or from the nearest folder between {@code root} and the file
     * whose name is a commune's code or name of the district ({@code Xã Tân Bình/Tờ 12.dgn}); a folder or name
     * of digits alone names a commune only as its five-digit code.
     */
    static SheetId sheetOf(Path root, Path file, CommuneText communes) {
        String base = Normalizer.normalize(file.getFileName().toString(), Normalizer.Form.NFC).replaceAll("\\.[^.]*$", "");
        Matcher m = SHEET_NAME.matcher(base);
        if (m.matches()) {
            return new SheetId(m.group(1), Integer.valueOf(m.group(2)));
        }
        String folded = TextKeys.folded(base).replace('_', ' ');
        Integer sheet = null;
        int from = -1;
        int to = -1;
        Matcher word = SHEET_WORD.matcher(folded);
        while (word.find()) {   // the last sheet word wins ("To 12 ban sao" and "Xa To Chau To 3" alike)
            sheet = Integer.valueOf(word.group(1));
            from = word.start();
            to = word.end();
        }
        if (sheet == null) {
            Matcher map = MAP_WORD.matcher(folded);
            while (map.find()) {
                int n = Integer.parseInt(map.group(1));
                if (n < 1900 || n > 2100) {   // "BĐ 2024" is the map's year, not its sheet
                    sheet = n;
                    from = map.start();
                    to = map.end();
                }
            }
        }
        if (sheet == null) {
            List<int[]> groups = new ArrayList<>();
            Matcher number = NUMBER_GROUP.matcher(folded);
            while (number.find()) {
                int value = Integer.parseInt(number.group());
                if ((number.group().length() < 5 || !communes.known(number.group())) && (value < 1900 || value > 2100)) {   // not a year
                    groups.add(new int[] {number.start(), number.end()});
                }
            }
            // the name's only number, unless the name is a commune's ("Phuong 1" is no sheet 1)
            if (groups.size() == 1 && communeNamed(folded, communes) == null) {
                from = groups.getFirst()[0];
                to = groups.getFirst()[1];
                sheet = Integer.valueOf(folded.substring(from, to));
            }
        }
        if (sheet != null && sheet == 0) {
            sheet = null;
        }
        // the rest of the name: a known code in it, or a commune's name
        String commune = communeNamed(from >= 0 ? folded.substring(0, from) + " " + folded.substring(to) : folded, communes);
        // the folder the file lies in, only (a top folder named after the district's town, "Gò Dầu/", is no commune of
        // the sheets in folders it does not know)
        Path dir = file.getParent();
        if (commune == null && dir != null && dir.getFileName() != null) {
            commune = communeNamed(Normalizer.normalize(dir.getFileName().toString(), Normalizer.Form.NFC), communes);
        }
        return new SheetId(commune, sheet);
    }

    /** The commune of the district a name gives ("Xã Tân Bình", "tan binh", "Phuong 1", "25456"), or null. */
    private static String communeNamed(String name, CommuneText communes) {
        // a known code anywhere in it ("25480 - Phường Ninh Sơn", "Ninh Sơn (25480)")
        Matcher known = Pattern.compile("(?<![0-9])\\d{5}(?![0-9])").matcher(name);
        while (known.find()) {
            if (communes.known(known.group())) {
                return known.group();
            }
        }
        // a folder's ordinal before the name ("01. Phường 1", "2 - Xã Bình Minh")
        String s = name.replaceFirst("^\\s*\\d{1,3}\\s*[.)_-]\\s*(?=\\p{L})", "").replace('_', ' ').replaceAll("[\\s.-]+", " ").strip();
        if (s.matches("\\d{5}")) {
            return communes.known(s) ? s : null;
        }
        if (s.isEmpty() || !s.matches(".*\\p{L}.*") || s.length() > 100) {
            return null;   // digits alone ("12", "2024") name no commune
        }
        String code = communes.code(s);
        return code != null && communes.known(code) ? code : null;
    }

    private void addLine(List<LineString> lines, JsonNode c) {
        List<Coordinate> cs = new ArrayList<>();
        for (JsonNode p : c) {
            Coordinate xy = new Coordinate(p.get(0).asDouble(), p.get(1).asDouble());
            if (cs.isEmpty() || !cs.getLast().equals2D(xy)) {
                cs.add(xy);
            }
        }
        if (cs.size() >= 2) {
            lines.add(geometries.createLineString(cs.toArray(Coordinate[]::new)));
        }
    }

    /**
     * A text's labels. Several lines or words ({@code "123\nODT\n245.6"}) are one label: number, code, area. A
     * single word is a part of a label written as separate texts: it is returned with only that part, and
     * {@link #combine} joins the parts found in one polygon.
     */
    static List<Label> parse(String text, Point at) {
        String clean = Normalizer.normalize(text, Normalizer.Form.NFC).replace("\\P", " ").replace("\\n", " ").replace("\\N", " ");
        clean = FRACTION.matcher(AREA_UNIT.matcher(clean).replaceAll("")).replaceAll("$1 $2").strip();
        String[] tokens = clean.split("[\\s;]+");
        if (tokens.length == 1) {
            String t = tokens[0];
            if (INTEGER.matcher(t).matches()) {
                return List.of(new Label(Integer.valueOf(t), null, null, at));
            }
            if (DECIMAL.matcher(t).matches()) {
                return List.of(new Label(null, null, t, at));
            }
            return CODE.matcher(t).matches() ? List.of(new Label(null, t.toUpperCase(Locale.ROOT), null, at)) : List.of();
        }
        if (!INTEGER.matcher(tokens[0]).matches()) {
            // a code and its area as one text, the number as another ("ODT 245.6", "245,6 ODT"): a part, joined in its polygon
            if (tokens.length == 2) {
                for (int c = 0; c < 2; c++) {
                    String area = tokens[1 - c];
                    // the area with its decimals: "ĐT 824", "QL 22", "KP 3" are roads and quarters, not a code and an area
                    if (CAPITAL_CODE.matcher(tokens[c]).matches() && DECIMAL.matcher(area).matches()) {
                        return List.of(new Label(null, tokens[c], area, at));
                    }
                }
            }
            return List.of();
        }
        String code = null;
        String area = null;
        for (int i = 1; i < tokens.length; i++) {
            if (code == null && CODE.matcher(tokens[i]).matches()) {
                code = tokens[i].toUpperCase(Locale.ROOT);
            } else if (area == null && (DECIMAL.matcher(tokens[i]).matches() || INTEGER.matcher(tokens[i]).matches())) {
                area = tokens[i];
            }
        }
        return List.of(new Label(Integer.valueOf(tokens[0]), code, area, at));
    }

    /** The labels of one polygon: whole labels as they are, separate parts joined (a second number starts another label). */
    static List<Label> combine(List<Label> parts) {
        List<Label> out = new ArrayList<>();
        List<Label> loose = new ArrayList<>();
        for (Label l : parts) {
            if (l.number() != null && (l.code() != null || l.area() != null)) {
                out.add(l);
            } else {
                loose.add(l);
            }
        }
        List<Label> numbers = loose.stream().filter(l -> l.number() != null).toList();
        String code = loose.stream().map(Label::code).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        String area = loose.stream().map(Label::area).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        for (int i = 0; i < numbers.size(); i++) {
            Label l = numbers.get(i);
            out.add(i == 0 ? new Label(l.number(), code, area, l.at()) : l);
        }
        return out;
    }

    /** Nodes and snaps the lines, polygonises them, and gives each polygon its label. */
    Sheet build(List<LineString> lines, List<Label> labels, String commune, Integer sheetNo) {
        return build(lines, labels, List.of(), commune, sheetNo);
    }

    /** As {@link #build(List, List, String, Integer)}; a polygon without a label quotes the texts inside it that read as none. */
    Sheet build(List<LineString> lines, List<Label> labels, List<Unread> unread, String commune, Integer sheetNo) {
        List<Finding> out = new ArrayList<>();
        List<SegmentString> segments = new ArrayList<>();
        for (LineString l : lines) {
            segments.add(new NodedSegmentString(l.getCoordinates(), null));
        }
        SnappingNoder noder = new SnappingNoder(SNAP_M);
        noder.computeNodes(segments);
        Collection<SegmentString> noded = noder.getNodedSubstrings();
        Map<String, LineString> unique = new LinkedHashMap<>();
        for (SegmentString s : noded) {
            Coordinate[] cs = s.getCoordinates();
            if (cs.length < 2 || (cs.length == 2 && cs[0].equals2D(cs[1]))) {
                continue;
            }
            LineString l = geometries.createLineString(cs);
            unique.putIfAbsent(l.norm().toText(), l);
        }
        Polygonizer polygonizer = new Polygonizer();
        polygonizer.add(new ArrayList<Geometry>(unique.values()));
        @SuppressWarnings("unchecked")
        List<Polygon> polygons = new ArrayList<>((Collection<Polygon>) polygonizer.getPolygons());
        // dangling edges joined into the lines they form: one finding per loose line
        org.locationtech.jts.operation.linemerge.LineMerger merger = new org.locationtech.jts.operation.linemerge.LineMerger();
        merger.add(polygonizer.getDangles());
        merger.add(polygonizer.getCutEdges());
        merger.add(polygonizer.getInvalidRingLines());
        @SuppressWarnings("unchecked")
        Collection<Geometry> loose = merger.getMergedLineStrings();
        for (Geometry g : loose) {
            Point mid = g.getInteriorPoint();
            out.add(new Finding("warning", "famis-dangle", commune, sheetNo, null, mid.getX(), mid.getY(),
                    "Đường ranh giới dài " + vn.landgis.platform.VietnameseNumbers.format(g.getLength(), 2) + " m không khép thửa nào (đường treo hoặc đường cắt)",
                    String.format(Locale.ROOT, "a boundary line of %.2f m closes no polygon (a dangle or a cut edge)", g.getLength())));
        }
        STRtree index = new STRtree();
        List<IndexedPointInAreaLocator> locators = new ArrayList<>();
        List<List<Label>> inside = new ArrayList<>();
        for (int i = 0; i < polygons.size(); i++) {
            index.insert(polygons.get(i).getEnvelopeInternal(), i);
            locators.add(new IndexedPointInAreaLocator(polygons.get(i)));
            inside.add(new ArrayList<>());
        }
        for (Label l : labels) {
            int hit = -1;
            for (Object o : index.query(l.at().getEnvelopeInternal())) {
                int i = (Integer) o;
                if (locators.get(i).locate(l.at().getCoordinate()) == Location.INTERIOR) {
                    hit = i;
                    break;
                }
            }
            if (hit < 0) {
                out.add(new Finding("warning", "famis-label-outside", commune, sheetNo, l.number(), l.at().getX(), l.at().getY(),
                        "Nhãn thửa nằm ngoài mọi thửa khép kín", "a parcel label lies outside every closed polygon"));
            } else {
                inside.get(hit).add(l);
            }
        }
        List<Map.Entry<Label, Polygon>> parcels = new ArrayList<>();
        for (int i = 0; i < polygons.size(); i++) {
            Polygon p = polygons.get(i);
            List<Label> found = combine(inside.get(i));
            Point at = p.getInteriorPoint();
            if (found.isEmpty()) {
                String texts = unreadIn(p, unread);
                if (!texts.isEmpty()) {
                    out.add(new Finding("warning", "famis-no-label", commune, sheetNo, null, at.getX(), at.getY(),
                            "Vùng khép kín " + vn.landgis.platform.VietnameseNumbers.format(p.getArea(), 1)
                                    + " m² có chữ không đọc được thành nhãn thửa (số thửa, loại đất, diện tích): " + texts + "; không nhập",
                            String.format(Locale.ROOT, "a closed polygon of %.1f m² holds text that reads as no parcel label (number, land use, area): %s; not imported",
                                    p.getArea(), texts)));
                    continue;
                }
                out.add(new Finding("warning", "famis-no-label", commune, sheetNo, null, at.getX(), at.getY(),
                        "Vùng khép kín " + vn.landgis.platform.VietnameseNumbers.format(p.getArea(), 1) + " m² không có nhãn số thửa; không nhập",
                        String.format(Locale.ROOT, "a closed polygon of %.1f m² has no parcel label; not imported", p.getArea())));
                continue;
            }
            found.sort(Comparator.comparing(Label::number));
            if (found.size() > 1) {
                String numbers = found.stream().map(l -> l.number().toString()).toList().toString();
                out.add(new Finding("error", "famis-two-labels", commune, sheetNo, found.getFirst().number(), at.getX(), at.getY(),
                        "Một vùng khép kín có " + found.size() + " nhãn " + numbers + " (ranh giới bị đứt hoặc nhãn lặp)",
                        "one closed polygon holds " + found.size() + " labels " + numbers + " (a broken boundary line or a doubled label)"));
            }
            parcels.add(Map.entry(found.getFirst(), p));
        }
        return new Sheet(parcels, out);
    }

    /** The texts that read as no label inside {@code p}, quoted (at most three), or "". */
    private static String unreadIn(Polygon p, List<Unread> unread) {
        if (unread.isEmpty()) {
            return "";
        }
        IndexedPointInAreaLocator locator = new IndexedPointInAreaLocator(p);
        List<String> quoted = new ArrayList<>();
        int n = 0;
        for (Unread u : unread) {
            if (p.getEnvelopeInternal().contains(u.at().getCoordinate()) && locator.locate(u.at().getCoordinate()) == Location.INTERIOR) {
                if (n++ < 3) {
                    String t = u.text().replace("\\P", " ").replace("\\n", " ").replace("\n", " ").strip();
                    quoted.add("'" + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "'");
                }
            }
        }
        return String.join(", ", quoted) + (n > 3 ? " (+" + (n - 3) + ")" : "");
    }

    private static double[][] rings(Polygon p) {
        double[][] out = new double[1 + p.getNumInteriorRing()][];
        for (int r = 0; r < out.length; r++) {
            Coordinate[] cs = (r == 0 ? p.getExteriorRing() : p.getInteriorRingN(r - 1)).getCoordinates();
            double[] xy = new double[cs.length * 2];
            for (int i = 0; i < cs.length; i++) {
                xy[2 * i] = cs[i].x;
                xy[2 * i + 1] = cs[i].y;
            }
            out[r] = xy;
        }
        return out;
    }

    @Override
    public void close() {
    }
}
