package vn.landgis.generator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes the district as one GeoPackage 1.2 with the layers {@code parcels}, {@code communes},
 * {@code map_sheets} and {@code planning_zones}, in the district's TM-3 system (with its WKT bound to
 * WGS 84 through the official EPSG:6960 parameters). No spatial index: readers build their own.
 */
final class GeoPackageWriter {

    private GeoPackageWriter() {
    }

    static void write(SyntheticDistrict d, Path file) throws IOException {
        Files.deleteIfExists(file);
        int srid = d.crs().srid();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA application_id = 1196444487");   // 'GPKG'
                s.execute("PRAGMA user_version = 10200");
                s.execute("CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,"
                        + " organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)");
                s.execute("CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,"
                        + " description TEXT DEFAULT '', last_change DATETIME NOT NULL, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,"
                        + " srs_id INTEGER REFERENCES gpkg_spatial_ref_sys(srs_id))");
                s.execute("CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,"
                        + " srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, PRIMARY KEY (table_name, column_name))");
                s.execute("INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', NULL),"
                        + " ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', NULL)");
                s.execute("INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\","
                        + "SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433],AUTHORITY[\"EPSG\",\"4326\"]]', NULL)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, 'EPSG', ?, ?, NULL)")) {
                ps.setString(1, "VN-2000 / TM-3 " + d.crs().centralMeridian());
                ps.setInt(2, srid);
                ps.setInt(3, srid);
                ps.setString(4, resource("/reference/crs/" + srid + ".wkt"));
                ps.executeUpdate();
            }
            parcels(c, d, srid);
            communes(c, d, srid);
            sheets(c, d, srid);
            zones(c, d, srid);
            c.commit();
        } catch (SQLException e) {
            throw new IOException("writing " + file + ": " + e.getMessage(), e);
        }
    }

    private static void layer(Connection c, String table, String columns, int srid, double[] env) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON, " + columns + ")");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gpkg_contents VALUES (?, 'features', ?, '', '2025-07-01T00:00:00.000Z', ?, ?, ?, ?, ?)")) {
            ps.setString(1, table);
            ps.setString(2, table);
            for (int i = 0; i < 4; i++) {
                ps.setDouble(3 + i, env[i]);
            }
            ps.setInt(7, srid);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'MULTIPOLYGON', ?, 0, 0)")) {
            ps.setString(1, table);
            ps.setInt(2, srid);
            ps.executeUpdate();
        }
    }

    private static void parcels(Connection c, SyntheticDistrict d, int srid) throws SQLException {
        double[] env = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (GeneratedParcel p : d.parcels()) {
            double[] e = Wkb.envelope(p.rings);
            env[0] = Math.min(env[0], e[0]);
            env[1] = Math.min(env[1], e[1]);
            env[2] = Math.max(env[2], e[2]);
            env[3] = Math.max(env[3], e[3]);
        }
        layer(c, "parcels", "MaXa TEXT, SoTo INTEGER, SoThua INTEGER, MucDichSD TEXT, DienTich REAL, DiaChi TEXT, TenChu TEXT", srid, env);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO parcels (geom, MaXa, SoTo, SoThua, MucDichSD, DienTich, DiaChi, TenChu) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            int n = 0;
            for (GeneratedParcel p : d.parcels()) {
                ps.setBytes(1, Wkb.gpkg(Wkb.multiPolygon(p.rings), srid, Wkb.envelope(p.rings)));
                ps.setString(2, p.communeCode);
                ps.setInt(3, p.sheetNo);
                ps.setInt(4, p.parcelNo);
                ps.setString(5, p.landUse);
                ps.setDouble(6, p.legalArea);
                ps.setString(7, p.address);
                ps.setString(8, p.owner);
                ps.addBatch();
                if (++n % 5000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static void communes(Connection c, SyntheticDistrict d, int srid) throws SQLException {
        layer(c, "communes", "MaXa TEXT, TenXa TEXT, MaHuyen TEXT", srid, districtEnvelope(d));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO communes (geom, MaXa, TenXa, MaHuyen) VALUES (?, ?, ?, ?)")) {
            for (var e : d.communeGeometries().entrySet()) {
                var env = e.getValue().getEnvelopeInternal();
                ps.setBytes(1, Wkb.gpkg(Wkb.multiPolygon(e.getValue()), srid, new double[] {env.getMinX(), env.getMinY(), env.getMaxX(), env.getMaxY()}));
                ps.setString(2, e.getKey());
                ps.setString(3, d.profile().communes().stream().filter(x -> x.code().equals(e.getKey())).findFirst().orElseThrow().name());
                ps.setString(4, d.profile().code());
                ps.executeUpdate();
            }
        }
    }

    private static void sheets(Connection c, SyntheticDistrict d, int srid) throws SQLException {
        layer(c, "map_sheets", "MaXa TEXT, SoTo INTEGER, TyLe INTEGER, PhienHieu TEXT", srid, districtEnvelope(d));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO map_sheets (geom, MaXa, SoTo, TyLe, PhienHieu) VALUES (?, ?, ?, ?, ?)")) {
            for (SyntheticDistrict.Sheet s : d.sheets()) {
                double[] f = s.frame();
                double[][] ring = {{f[0], f[1], f[2], f[1], f[2], f[3], f[0], f[3], f[0], f[1]}};
                ps.setBytes(1, Wkb.gpkg(Wkb.multiPolygon(ring), srid, f));
                ps.setString(2, s.communeCode());
                ps.setInt(3, s.sheetNo());
                ps.setInt(4, s.scale());
                ps.setString(5, s.gridRef());
                ps.executeUpdate();
            }
        }
    }

    private static void zones(Connection c, SyntheticDistrict d, int srid) throws SQLException {
        layer(c, "planning_zones", "MaKhu TEXT, ChucNang TEXT, MatDo REAL, TangCao INTEGER, HeSoSDD REAL", srid, districtEnvelope(d));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO planning_zones (geom, MaKhu, ChucNang, MatDo, TangCao, HeSoSDD) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (SyntheticDistrict.PlanningZone z : d.planningZones()) {
                var env = z.geometry().getEnvelopeInternal();
                ps.setBytes(1, Wkb.gpkg(Wkb.multiPolygon(z.geometry()), srid, new double[] {env.getMinX(), env.getMinY(), env.getMaxX(), env.getMaxY()}));
                ps.setString(2, z.zoneCode());
                ps.setString(3, z.plannedUse());
                ps.setDouble(4, z.density());
                ps.setInt(5, z.maxFloors());
                ps.setDouble(6, z.floorAreaRatio());
                ps.executeUpdate();
            }
        }
    }

    private static double[] districtEnvelope(SyntheticDistrict d) {
        var env = new org.locationtech.jts.geom.Envelope();
        d.communeGeometries().values().forEach(g -> env.expandToInclude(g.getEnvelopeInternal()));
        return new double[] {env.getMinX(), env.getMinY(), env.getMaxX(), env.getMaxY()};
    }

    static String resource(String name) {
        try (InputStream in = GeoPackageWriter.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
