package vn.landgis.generator;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import vn.landgis.geo.VietnameseEncoding;

/**
 * Writes parcels as an ESRI Shapefile as district tools export them: {@code .shp}/{@code .shx} polygons
 * (outer rings clockwise), {@code .prj} in ESRI WKT (which, like the real exports, names VN-2000 but carries no
 * datum shift), and a {@code .dbf} whose text is in UTF-8, TCVN3 or VNI-Windows. The {@code .cpg} says the
 * truth, is missing, or lies, as asked.
 */
final class ShapefileWriter {

    private record Field(String name, char type, int length, int decimals) {
    }

    private static final Field[] FIELDS = {
        new Field("MaXa", 'C', 5, 0), new Field("SoTo", 'N', 5, 0), new Field("SoThua", 'N', 6, 0),
        new Field("MucDichSD", 'C', 10, 0), new Field("DienTich", 'N', 13, 1), new Field("DiaChi", 'C', 160, 0),
        new Field("TenChu", 'C', 80, 0),
    };

    private ShapefileWriter() {
    }

    static void write(SyntheticDistrict d, Path dir, String baseName, VietnameseEncoding encoding, Cpg cpg) throws IOException {
        Path shp = dir.resolve(baseName + ".shp");
        Path shx = dir.resolve(baseName + ".shx");
        double[] env = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        long shpLength = 100;
        for (GeneratedParcel p : d.parcels()) {
            double[] e = Wkb.envelope(p.rings);
            env[0] = Math.min(env[0], e[0]);
            env[1] = Math.min(env[1], e[1]);
            env[2] = Math.max(env[2], e[2]);
            env[3] = Math.max(env[3], e[3]);
            shpLength += 8 + contentLength(p);
        }
        int n = d.parcels().size();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(shp), 1 << 16));
             DataOutputStream index = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(shx), 1 << 16))) {
            header(out, shpLength, env);
            header(index, 100 + 8L * n, env);
            long offset = 100;
            int record = 0;
            for (GeneratedParcel p : d.parcels()) {
                int content = contentLength(p);
                index.writeInt((int) (offset / 2));
                index.writeInt(content / 2);
                out.writeInt(++record);
                out.writeInt(content / 2);
                ByteBuffer b = ByteBuffer.allocate(content).order(ByteOrder.LITTLE_ENDIAN);
                double[] e = Wkb.envelope(p.rings);
                int points = 0;
                for (double[] ring : p.rings) {
                    points += ring.length / 2;
                }
                b.putInt(5).putDouble(e[0]).putDouble(e[1]).putDouble(e[2]).putDouble(e[3]).putInt(p.rings.length).putInt(points);
                int start = 0;
                for (double[] ring : p.rings) {
                    b.putInt(start);
                    start += ring.length / 2;
                }
                for (double[] ring : p.rings) {   // clockwise: reverse our counter-clockwise rings
                    for (int i = ring.length - 2; i >= 0; i -= 2) {
                        b.putDouble(ring[i]).putDouble(ring[i + 1]);
                    }
                }
                out.write(b.array());
                offset += 8 + content;
            }
        }
        writeDbf(d, dir.resolve(baseName + ".dbf"), encoding);
        Files.writeString(dir.resolve(baseName + ".prj"), GeoPackageWriter.resource("/reference/crs/" + d.crs().srid() + ".esri.prj"),
                StandardCharsets.US_ASCII);
        Path cpgFile = dir.resolve(baseName + ".cpg");
        Files.deleteIfExists(cpgFile);
        switch (cpg) {
            case TRUTH -> {
                if (encoding == VietnameseEncoding.UTF8) {
                    Files.writeString(cpgFile, "UTF-8", StandardCharsets.US_ASCII);
                } else if (encoding == VietnameseEncoding.WINDOWS_1258) {
                    Files.writeString(cpgFile, "1258", StandardCharsets.US_ASCII);
                }
                // TCVN3 and VNI have no code page name: the truth is to say nothing
            }
            case LIE -> Files.writeString(cpgFile, encoding == VietnameseEncoding.UTF8 ? "1258" : "UTF-8", StandardCharsets.US_ASCII);
            case NONE -> { }
        }
    }

    private static int contentLength(GeneratedParcel p) {
        int points = 0;
        for (double[] ring : p.rings) {
            points += ring.length / 2;
        }
        return 44 + 4 * p.rings.length + 16 * points;
    }

    private static void header(DataOutputStream out, long lengthBytes, double[] env) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(100);
        b.order(ByteOrder.BIG_ENDIAN).putInt(9994).putInt(0).putInt(0).putInt(0).putInt(0).putInt(0).putInt((int) (lengthBytes / 2));
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(1000).putInt(5);
        b.putDouble(env[0]).putDouble(env[1]).putDouble(env[2]).putDouble(env[3]).putDouble(0).putDouble(0).putDouble(0).putDouble(0);
        out.write(b.array());
    }

    private static void writeDbf(SyntheticDistrict d, Path file, VietnameseEncoding encoding) throws IOException {
        int recordLength = 1;
        for (Field f : FIELDS) {
            recordLength += f.length;
        }
        int headerLength = 32 + 32 * FIELDS.length + 1;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            ByteBuffer h = ByteBuffer.allocate(headerLength).order(ByteOrder.LITTLE_ENDIAN);
            h.put((byte) 3).put((byte) 125).put((byte) 7).put((byte) 1);   // dBASE III, last update 2025-07-01
            h.putInt(d.parcels().size()).putShort((short) headerLength).putShort((short) recordLength);
            h.position(32);   // byte 29, the language driver, stays 0: districts' files carry none
            for (Field f : FIELDS) {
                byte[] name = new byte[11];
                byte[] nb = f.name.getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(nb, 0, name, 0, nb.length);
                h.put(name).put((byte) f.type).putInt(0).put((byte) f.length).put((byte) f.decimals);
                h.put(new byte[14]);
            }
            h.put((byte) 0x0D);
            out.write(h.array());
            byte[] record = new byte[recordLength];
            for (GeneratedParcel p : d.parcels()) {
                java.util.Arrays.fill(record, (byte) ' ');
                int pos = 1;
                pos = text(record, pos, FIELDS[0], p.communeCode, encoding);
                pos = number(record, pos, FIELDS[1], Integer.toString(p.sheetNo));
                pos = number(record, pos, FIELDS[2], Integer.toString(p.parcelNo));
                pos = text(record, pos, FIELDS[3], p.landUse, encoding);
                pos = number(record, pos, FIELDS[4], Fmt.fixed(p.legalArea, 1));
                pos = text(record, pos, FIELDS[5], p.address, encoding);
                text(record, pos, FIELDS[6], p.owner, encoding);
                out.write(record);
            }
            out.write(0x1A);
        }
    }

    /** Left-aligned text, cut at a character boundary so no multi-byte letter is split. */
    private static int text(byte[] record, int pos, Field f, String value, VietnameseEncoding encoding) {
        byte[] whole = encoding.encode(value);
        if (whole.length <= f.length) {
            System.arraycopy(whole, 0, record, pos, whole.length);
            return pos + f.length;
        }
        int used = 0;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            byte[] bytes = encoding.encode(new String(Character.toChars(cp)));
            if (used + bytes.length > f.length) {
                break;
            }
            System.arraycopy(bytes, 0, record, pos + used, bytes.length);
            used += bytes.length;
            i += Character.charCount(cp);
        }
        return pos + f.length;
    }

    private static int number(byte[] record, int pos, Field f, String value) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        if (b.length > f.length) {
            throw new IllegalArgumentException(f.name + " value " + value + " too long");
        }
        System.arraycopy(b, 0, record, pos + f.length - b.length, b.length);
        return pos + f.length;
    }
}
