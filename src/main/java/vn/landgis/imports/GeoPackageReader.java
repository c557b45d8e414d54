package vn.landgis.imports;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.sqlite.SQLiteConfig;

/**
 * Reads a GeoPackage's parcel layer (the features table named {@code parcels}, {@code thua_dat} or
 * {@code thuadat}, else the only polygon layer) read-only, without GDAL. Text is UTF-8 by the format's rule.
 */
final class GeoPackageReader implements DeliveryReader {

    private final Connection connection;
    private final String table;
    private final String geometryColumn;
    private final int srid;
    private final String srsDefinition;
    /** Decodes text columns from their stored bytes; null: the stored text is UTF-8, as the format says. */
    private final java.util.function.Function<byte[], String> text;

    GeoPackageReader(Path file) throws IOException {
        this(file, List.of("parcels", "thua_dat", "thuadat"), "parcel");
    }

    GeoPackageReader(Path file, List<String> layerNames, String what) throws IOException {
        this(file, layerNames, what, null);
    }

    /**
     * The first features table named in {@code layerNames} (any case), else the only polygon layer; text columns
     * through {@code text} when it is not null (a conversion that carried a legacy encoding's bytes through).
     */
    GeoPackageReader(Path file, List<String> layerNames, String what, java.util.function.Function<byte[], String> text) throws IOException {
        this(file, layerNames, what, text, false);
    }

    /** The layer a manifest names, and no other. */
    static GeoPackageReader layer(Path file, String layer) throws IOException {
        return new GeoPackageReader(file, List.of(layer), "parcel", null, true);
    }

    private GeoPackageReader(Path file, List<String> layerNames, String what, java.util.function.Function<byte[], String> text, boolean strict)
            throws IOException {
        this.text = text;
        Connection opened = null;
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            opened = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
            List<String[]> layers = new ArrayList<>();
            try (Statement s = opened.createStatement();
                 ResultSet rs = s.executeQuery("SELECT g.table_name, g.column_name, coalesce(g.geometry_type_name, ''), coalesce(g.srs_id, 0),"
                         + " coalesce(r.organization, ''), coalesce(r.organization_coordsys_id, 0), coalesce(r.definition, '') FROM gpkg_geometry_columns g"
                         + " LEFT JOIN gpkg_spatial_ref_sys r ON r.srs_id = g.srs_id")) {
                while (rs.next()) {
                    layers.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)});
                }
            }
            // names compared as written, then without case, diacritics and separators ("Thửa đất" is thua_dat)
            String[] chosen = layerNames.stream().flatMap(n -> layers.stream().filter(l -> l[0].equalsIgnoreCase(n)))
                    .findFirst().or(() -> strict ? java.util.Optional.empty() : layerNames.stream().flatMap(n -> layers.stream()
                            .filter(l -> TextKeys.key(l[0]).equals(TextKeys.key(n)))).findFirst())
                    .orElseGet(() -> {
                        // a layer of polygons, or of curved surfaces (CurvePolygon, MultiSurface: read as such, and said)
                        List<String[]> polygons = layers.stream().filter(l -> l[2].toUpperCase(java.util.Locale.ROOT).matches(".*(POLYGON|SURFACE).*")).toList();
                        return polygons.size() == 1 && !strict ? polygons.get(0) : null;
                    });
            if (chosen == null) {
                List<String> names = layers.stream().map(l -> l[0]).toList();
                throw new IOException(strict ? "Không có lớp '" + layerNames.get(0) + "' trong " + file.getFileName() + " (các lớp: " + names + ") / no layer '"
                        + layerNames.get(0) + "' in " + file.getFileName() + " (layers: " + names + ")"
                        : "Không rõ lớp nào là lớp " + (what.equals("parcel") ? "thửa" : what) + ": đặt tên lớp '" + layerNames.get(0)
                        + "', hoặc ghi tên lớp trong manifest (\"layer\") (các lớp: " + names + ") / no " + what + " layer: name it '" + layerNames.get(0)
                        + "', or name the layer in a manifest (\"layer\") (layers: " + names + ")");
            }
            this.table = chosen[0];
            this.geometryColumn = chosen[1];
            this.srsDefinition = chosen[6];
            int srsId = parseOr(chosen[3], 0);
            this.srid = chosen[4].equalsIgnoreCase("EPSG") ? parseOr(chosen[5], 0) : Math.max(srsId, 0);
            this.connection = opened;
        } catch (SQLException | IOException | RuntimeException e) {
            if (opened != null) {
                try {
                    opened.close();
                } catch (SQLException closing) {
                    e.addSuppressed(closing);
                }
            }
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("not a readable GeoPackage: " + e.getMessage(), e);
        }
    }

    private static int parseOr(String s, int otherwise) {
        try {
            return Integer.parseInt(s.strip());
        } catch (RuntimeException e) {
            return otherwise;
        }
    }

    @Override
    public int declaredSrid() {
        return srid;
    }

    /** The WKT of the layer's spatial reference system, as the GeoPackage holds it (empty when none). */
    String srsDefinition() {
        return srsDefinition;
    }

    /** Up to {@code limit} bytes of the layer's text values, for deciding their encoding. */
    byte[] textSample(int limit) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + quote(table))) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next() && out.size() < limit) {
                for (int c = 1; c <= md.getColumnCount(); c++) {
                    if (!md.getColumnName(c).equalsIgnoreCase(geometryColumn) && rs.getObject(c) instanceof String) {
                        out.writeBytes(rs.getBytes(c));
                        out.write(' ');
                    }
                }
            }
        } catch (SQLException e) {
            throw new IOException("reading " + table + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @Override
    public double[] extent() {
        try (var ps = connection.prepareStatement("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getObject(1) != null && rs.getObject(3) != null) {
                    double[] box = {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)};
                    if (java.util.Arrays.stream(box).allMatch(Double::isFinite) && box[0] <= box[2] && box[1] <= box[3]) {
                        return box;
                    }
                }
            }
        } catch (SQLException e) {
            // no extent recorded
        }
        return null;
    }

    @Override
    public long featureCount() {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + quote(table))) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    @Override
    public List<String[]> sheetScales() {
        List<String[]> out = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT MaXa, SoTo, TyLe FROM map_sheets")) {
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        } catch (SQLException e) {
            return List.of();   // no sheets layer, or other column names: scales come from the manifest then
        }
        return out;
    }

    @Override
    public void forEach(Consumer<SourceFeature> consumer) throws IOException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + quote(table))) {
            ResultSetMetaData md = rs.getMetaData();
            // once, not per row: each is a call into SQLite's native library
            String[] names = new String[md.getColumnCount() + 1];
            for (int c = 1; c < names.length; c++) {
                names[c] = md.getColumnName(c);
            }
            int n = 0;
            while (rs.next()) {
                n++;
                Map<String, String> attributes = new LinkedHashMap<>();
                List<double[][]> polygons = List.of();
                for (int c = 1; c < names.length; c++) {
                    String name = names[c];
                    if (name.equalsIgnoreCase(geometryColumn)) {
                        byte[] blob = rs.getBytes(c);
                        try {
                            polygons = blob == null ? List.of() : parse(blob);
                        } catch (RuntimeException e) {
                            polygons = List.of();   // a point or a line among the polygons, or a broken blob: this feature's error
                        }
                        if (polygons.isEmpty() && blob != null && curved(blob)) {
                            curved++;
                        }
                    } else if (text != null && rs.getObject(c) instanceof String) {
                        attributes.put(name, text.apply(rs.getBytes(c)));
                    } else {
                        attributes.put(name, rs.getString(c));
                    }
                }
                consumer.accept(new SourceFeature(n, attributes, polygons));
            }
        } catch (SQLException e) {
            throw new IOException("reading " + table + ": " + e.getMessage(), e);
        }
    }

    /** Features whose geometry is curved (CurvePolygon, MultiSurface: what a CAD export or QGIS may write), unread. */
    private int curved;

    /**
     * One error for the curved geometries (each feature is also a {@code no-geometry} error): what they are and how
     * to save them readable (they were 3 119 "no readable polygon" errors and nothing more).
     */
    @Override
    public List<Finding> findings() {
        return curved == 0 ? List.of() : List.of(new Finding("error", "curved-geometry", null, null, null, Double.NaN, Double.NaN,
                curved + " thửa có hình cong (CurvePolygon, MultiSurface), không đọc được: lưu lại lớp thửa dạng MultiPolygon "
                        + "(QGIS: Xuất lớp, kiểu hình MultiPolygon; GDAL: ogr2ogr -nlt MULTIPOLYGON)",
                curved + " parcels have curved geometries (CurvePolygon, MultiSurface), which are not read: save the parcels' layer as "
                        + "MultiPolygon (QGIS: Export layer, geometry type MultiPolygon; GDAL: ogr2ogr -nlt MULTIPOLYGON)"));
    }

    /** Whether a GeoPackage blob's WKB is of a curved type (ISO codes 8-12, with Z, M or ZM thousands). */
    static boolean curved(byte[] blob) {
        if (blob.length < 8 || blob[0] != 'G' || blob[1] != 'P' || (blob[3] & 0x10) != 0) {
            return false;
        }
        int at;
        try {
            at = wkbOffset(blob);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (blob.length < at + 5) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(blob, at + 1, 4).order(blob[at] == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int type = b.getInt() % 1000;
        return type >= 8 && type <= 12;
    }

    /** A GeoPackage geometry blob: 'GP', version, flags (byte order, envelope kind), srs id, envelope, WKB. */
    static List<double[][]> parse(byte[] blob) {
        if (blob.length < 8 || blob[0] != 'G' || blob[1] != 'P') {
            throw new IllegalArgumentException("not a GeoPackage geometry");
        }
        int flags = blob[3];
        if ((flags & 0x10) != 0) {
            return List.of();   // empty geometry flag
        }
        int at = wkbOffset(blob);
        ByteBuffer b = ByteBuffer.wrap(blob, at, blob.length - at).order(ByteOrder.LITTLE_ENDIAN);
        return RingChecks.parseWkb(b.slice());
    }

    /** Where a GeoPackage blob's WKB begins: after the 8-byte header and the envelope its flags announce. */
    private static int wkbOffset(byte[] blob) {
        return 8 + switch ((blob[3] >> 1) & 0x07) {
            case 0 -> 0;
            case 1 -> 32;
            case 2, 3 -> 48;
            case 4 -> 64;
            default -> throw new IllegalArgumentException("bad envelope indicator");
        };
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }
}
