package vn.landgis.imports;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import vn.landgis.geo.VietnameseEncoding;

/**
 * Reads a polygon Shapefile (.shp, .shx, .dbf, .prj, .cpg). The .dbf's text encoding is decided from the text
 * itself (UTF-8, TCVN3, VNI-Windows, windows-1258), with the .cpg as a hint that may be missing or lie; the
 * decision and its reason go to the report. The .shx must agree with the .shp; a 0-byte or truncated .shp is
 * refused with a clear message.
 */
final class ShapefileReader implements DeliveryReader {

    private record Field(String name, char type, int offset, int length) {
    }

    private final Path shp;
    private final ByteBuffer dbf;
    private final int records;
    private final int headerLength;
    private final int recordLength;
    /** Where the last field ends in a record (its length, unless the header contradicts itself). */
    private final int fieldsEnd;
    private final List<Field> fields = new ArrayList<>();
    private final VietnameseEncoding encoding;
    private final String encodingNote;
    private final String[] encodingDoubt;
    private final int srid;

    ShapefileReader(Path shp) throws IOException {
        this(shp, null);
    }

    /** With {@code forced} (from a manifest) the .dbf is read in that encoding, whatever the text or the .cpg say. */
    ShapefileReader(Path shp, VietnameseEncoding forced) throws IOException {
        this.shp = shp;
        String base = shp.getFileName().toString().replaceAll("(?i)\\.shp$", "");
        Path dir = shp.getParent() == null ? Path.of(".") : shp.getParent();
        Path dbfPath = sibling(dir, base, "dbf");
        Path shxPath = sibling(dir, base, "shx");
        if (Files.size(shp) < 100) {
            throw new IOException(shp.getFileName() + " rỗng hoặc bị cắt cụt (" + Files.size(shp) + " byte): không phải shapefile / " + shp.getFileName()
                    + " is empty or truncated (" + Files.size(shp) + " bytes): not a shapefile");
        }
        if (dbfPath == null) {
            throw new IOException("Thiếu tệp .dbf của " + shp.getFileName() + ": không có thuộc tính, số thửa / the .dbf of " + shp.getFileName()
                    + " is missing: no attributes, no parcel numbers");
        }
        shapeType(shp);
        // mapped, not read into the heap: a district's .dbf is hundreds of MB, and records are read where they lie
        try (FileChannel channel = FileChannel.open(dbfPath, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new IOException(dbfPath.getFileName() + " is larger than 2 GB, the .dbf format's own limit");
            }
            this.dbf = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (dbf.capacity() < 33) {
            throw new IOException(dbfPath.getFileName() + " is truncated");
        }
        this.records = dbf.getInt(4);
        this.headerLength = Short.toUnsignedInt(dbf.getShort(8));
        this.recordLength = Short.toUnsignedInt(dbf.getShort(10));
        if (records < 0 || (long) headerLength + (long) records * recordLength > dbf.capacity()) {
            throw new IOException(dbfPath.getFileName() + " is shorter than its header says");
        }
        int offset = 1;
        for (int pos = 32; pos + 32 <= headerLength && dbf.get(pos) != 0x0D; pos += 32) {
            byte[] name = new byte[11];
            dbf.get(pos, name);
            int len = Byte.toUnsignedInt(dbf.get(pos + 16));
            fields.add(new Field(new String(name, StandardCharsets.ISO_8859_1).replace("\0", "").trim(), (char) dbf.get(pos + 11), offset, len));
            offset += len;
        }
        fieldsEnd = offset;
        checkIndex(shxPath);
        // the encoding: what the text reads as, with the .cpg as a hint
        VietnameseEncoding.Detection detected = VietnameseEncoding.detect(textSample(4000));
        Path cpgPath = sibling(dir, base, "cpg");
        String cpg = cpgPath == null ? null : Files.readString(cpgPath, StandardCharsets.ISO_8859_1).trim();
        VietnameseEncoding declared = cpg == null ? null : switch (cpg.toUpperCase(Locale.ROOT).replace("-", "")) {
            case "UTF8", "65001" -> VietnameseEncoding.UTF8;
            case "1258", "CP1258", "WINDOWS1258" -> VietnameseEncoding.WINDOWS_1258;
            default -> null;
        };
        EncodingChoice choice = EncodingChoice.choose(detected, forced, declared, "the .cpg says " + cpg,
                cpgPath == null ? "no .cpg" : "the .cpg names '" + cpg + "', which is not a Vietnamese code page");
        encoding = choice.encoding();
        encodingNote = choice.note();
        encodingDoubt = choice.doubt();
        Path prj = sibling(dir, base, "prj");
        this.srid = prj == null ? 0 : PrjInterpreter.srid(Files.readString(prj, StandardCharsets.ISO_8859_1));
    }

    /**
     * The file's shape type (header, byte 32) must be a polygon's (Polygon, PolygonZ, PolygonM) or none: a layer of
     * boundary lines or of label points is refused at once, saying what it holds (it failed on its first record with
     * "shape type 3 is not a polygon").
     */
    private static void shapeType(Path shp) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(shp, StandardOpenOption.READ)) {
            ch.read(header, 0);
        }
        int type = header.getInt(32);
        String[] holds = switch (type) {
            case 0, 5, 15, 25 -> null;
            case 3, 13, 23 -> new String[] {"đường (polyline)", "lines (polylines)"};
            case 1, 11, 21, 8, 18, 28 -> new String[] {"điểm", "points"};
            case 31 -> new String[] {"khối 3D (multipatch)", "3D multipatches"};
            default -> new String[] {"kiểu hình " + type + " không rõ", "shape type " + type + ", which no shapefile has"};
        };
        if (holds != null) {
            throw new IOException(shp.getFileName() + " chứa " + holds[0] + ", không phải vùng (polygon): thửa đất là vùng khép kín; xuất lại lớp thửa "
                    + "dạng Polygon (ranh thửa dạng đường thì giao dạng tờ FAMIS .dgn/.dxf) / " + shp.getFileName() + " holds " + holds[1]
                    + ", not polygons: parcels are closed polygons; export the parcels' layer as polygons (boundary lines go as FAMIS .dgn/.dxf sheets)");
        }
    }

    private static Path sibling(Path dir, String base, String ext) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().equalsIgnoreCase(base + "." + ext)).findFirst().orElse(null);
        }
    }

    /** The .shx must index exactly the records of the .shp. */
    private void checkIndex(Path shxPath) throws IOException {
        if (shxPath == null) {
            return;   // the .shp is read in sequence; the index is only a cross-check
        }
        long shxSize = Files.size(shxPath);
        long shpRecords = 0;
        long shpSize = Files.size(shp);
        try (FileChannel ch = FileChannel.open(shp, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(8);
            long pos = 100;
            while (pos + 8 <= shpSize) {
                head.clear();
                ch.read(head, pos);
                int contentWords = head.order(ByteOrder.BIG_ENDIAN).getInt(4);
                if (contentWords < 0) {
                    throw new IOException(shp.getFileName() + " is corrupt at byte " + pos);
                }
                pos += 8 + 2L * contentWords;
                shpRecords++;
            }
            if (pos != shpSize) {
                throw new IOException(shp.getFileName() + " bị cắt cụt: đối tượng cuối vượt quá cuối tệp / " + shp.getFileName()
                        + " is truncated: its last record ends past the file");
            }
        }
        if (shxSize != 100 + 8 * shpRecords) {
            throw new IOException("Tệp .shx không khớp tệp .shp (" + (shxSize - 100) / 8 + " mục chỉ mục cho " + shpRecords
                    + " đối tượng): gửi lại bộ tệp cùng lúc xuất / the .shx does not match the .shp (" + (shxSize - 100) / 8 + " index entries for " + shpRecords
                    + " records): a wrong or stale .shx");
        }
        if (shpRecords != records) {
            throw new IOException("Tệp .shp có " + shpRecords + " đối tượng nhưng .dbf có " + records + " dòng: bộ tệp không khớp / the .shp has "
                    + shpRecords + " records but the .dbf " + records);
        }
    }

    private byte[] textSample(int maxRecords) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int n = Math.min(records, maxRecords);
        for (int r = 0; r < n; r++) {
            int base = headerLength + r * recordLength;
            for (Field f : fields) {
                if (f.type == 'C') {
                    // within the record only, as the attributes are read
                    int within = Math.max(0, Math.min(f.length, Math.min(recordLength, dbf.limit() - base) - f.offset));
                    byte[] raw = new byte[within];
                    dbf.get(base + f.offset, raw);
                    out.write(raw, 0, raw.length);
                    out.write(' ');
                }
            }
        }
        return out.toByteArray();
    }

    @Override
    public int declaredSrid() {
        return srid;
    }

    @Override
    public double[] extent() {
        try (FileChannel ch = FileChannel.open(shp, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(68).order(ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining() && ch.read(header) >= 0) {
                // the header's 100 bytes: the box at 36-67
            }
            if (header.position() < 68) {
                return null;
            }
            double[] box = {header.getDouble(36), header.getDouble(44), header.getDouble(52), header.getDouble(60)};
            return java.util.Arrays.stream(box).allMatch(Double::isFinite) && box[0] <= box[2] && box[1] <= box[3] ? box : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String[] encodingDoubt() {
        return encodingDoubt;
    }

    @Override
    public String encodingNote() {
        return encoding + ": " + encodingNote;
    }

    VietnameseEncoding encoding() {
        return encoding;
    }

    @Override
    public long featureCount() {
        return records;
    }

    @Override
    public void forEach(Consumer<SourceFeature> consumer) throws IOException {
        try (FileChannel ch = FileChannel.open(shp, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 100;
            Window window = new Window(ch, size);
            for (int r = 0; r < records && pos + 8 <= size; r++) {
                int words = window.slice(pos, 8).order(ByteOrder.BIG_ENDIAN).getInt(4);   // 16-bit words
                if (words < 0 || 2L * words > size - pos - 8) {
                    throw new IllegalArgumentException("record " + (r + 1) + " declares a length of " + words
                            + " words, beyond the end of the .shp");
                }
                int contentBytes = 2 * words;
                ByteBuffer content = window.slice(pos + 8, contentBytes).order(ByteOrder.LITTLE_ENDIAN);
                pos += 8 + contentBytes;
                consumer.accept(new SourceFeature(r + 1, attributes(r), polygons(content)));
            }
        }
    }

    private Map<String, String> attributes(int record) {
        Map<String, String> out = new LinkedHashMap<>();
        int base = headerLength + record * recordLength;
        // a record's bytes (the header's fields may claim more than its record length: what lies beyond reads as padding)
        byte[] raw = new byte[Math.max(recordLength, fieldsEnd)];
        dbf.get(base, raw, 0, Math.min(recordLength, dbf.limit() - base));
        for (Field f : fields) {
            // the padding (spaces, NULs) left out before decoding: in every encoding read here they are those
            // characters alone, which the strip below would drop anyway (a 254-byte field holding "ONT" was decoded
            // and normalised whole: a fifth of a Shapefile's reading thread, JFR, 1 M parcels)
            int start = f.offset;
            int end = f.offset + f.length;
            while (start < end && (raw[start] == ' ' || raw[start] == 0)) {
                start++;
            }
            while (end > start && (raw[end - 1] == ' ' || raw[end - 1] == 0)) {
                end--;
            }
            String value = start == end ? "" : f.type == 'C' ? encoding.decode(raw, start, end - start)
                    : new String(raw, start, end - start, StandardCharsets.ISO_8859_1);
            value = value.replace("\0", "").strip();
            // dBASE writes a number it has none for (or one too wide for its field) as asterisks: no value, not a text
            if (f.type != 'C' && !value.isEmpty() && value.chars().allMatch(ch -> ch == '*')) {
                value = "";
            }
            out.put(f.name, value.isEmpty() ? null : value);
        }
        return out;
    }

    /**
     * The .shp read through a window of a few megabytes instead of two reads a record (2 M system calls for 1 M
     * parcels). A slice stays valid until the next call.
     */
    private static final class Window {

        private static final int SIZE = 1 << 22;
        private final FileChannel channel;
        private final long size;
        private ByteBuffer buffer = ByteBuffer.allocate(SIZE);
        private long start;
        private int length;

        Window(FileChannel channel, long size) {
            this.channel = channel;
            this.size = size;
        }

        /** The bytes from {@code pos}, {@code n} of them or as many as the file holds, at position 0 of the slice. */
        ByteBuffer slice(long pos, int n) throws IOException {
            if (pos < start || pos + n > start + length) {
                int want = (int) Math.min(Math.max(n, SIZE), Math.max(0, size - pos));
                if (buffer.capacity() < want) {
                    buffer = ByteBuffer.allocate(want);
                }
                buffer.clear().limit(want);
                start = pos;
                while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) >= 0) {
                    // until the window is full or the file ends
                }
                length = buffer.position();
            }
            int offset = (int) (pos - start);
            return buffer.slice(offset, Math.max(0, Math.min(n, length - offset)));
        }
    }

    /** Polygon, PolygonZ, PolygonM records: clockwise rings start polygons, counter-clockwise ones are their holes. */
    private static List<double[][]> polygons(ByteBuffer b) {
        int type = b.getInt();
        if (type == 0) {
            return List.of();
        }
        if (type != 5 && type != 15 && type != 25) {
            throw new IllegalArgumentException("shape type " + type + " is not a polygon");
        }
        b.position(b.position() + 32);
        int parts = b.getInt();
        int points = b.getInt();
        if (parts < 0 || points < 0 || (long) parts * 4 + (long) points * 16 > b.remaining()) {
            throw new IllegalArgumentException("record overruns its length");
        }
        int[] starts = new int[parts + 1];
        for (int i = 0; i < parts; i++) {
            starts[i] = b.getInt();
        }
        starts[parts] = points;
        List<double[][]> polygons = new ArrayList<>();
        List<double[]> current = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int n = starts[p + 1] - starts[p];
            if (n < 0) {
                throw new IllegalArgumentException("part indexes out of order");
            }
            double[] xy = new double[n * 2];
            for (int i = 0; i < n; i++) {
                xy[2 * i] = b.getDouble();
                xy[2 * i + 1] = b.getDouble();
            }
            boolean clockwise = signedArea(xy) < 0;
            if (clockwise || current.isEmpty()) {
                if (!current.isEmpty()) {
                    polygons.add(current.toArray(double[][]::new));
                }
                current = new ArrayList<>();
            }
            current.add(xy);
        }
        if (!current.isEmpty()) {
            polygons.add(current.toArray(double[][]::new));
        }
        return polygons;
    }

    private static double signedArea(double[] xy) {
        double s = 0;
        for (int i = 0; i + 3 < xy.length; i += 2) {
            s += xy[i] * xy[i + 3] - xy[i + 2] * xy[i + 1];
        }
        return s / 2;
    }

    @Override
    public void close() {
    }
}
