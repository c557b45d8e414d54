package vn.landgis.generator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;


import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;

/**
 * Writes the district as GeoJSON files in its TM-3 system, with the old-style {@code crs} member that district
 * tools still write (RFC 7946 would demand WGS 84; deliveries do not follow it). Streams: one feature at a
 * time. Numbers have fixed decimals so the same district gives the same bytes.
 */
final class GeoJsonWriter {

    private GeoJsonWriter() {
    }

    static void write(SyntheticDistrict d, Path dir) throws IOException {
        String crs = "{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::" + d.crs().srid() + "\"}}";
        try (Writer w = open(dir.resolve("parcels.geojson"), "parcels", crs)) {
            boolean first = true;
            StringBuilder sb = new StringBuilder(512);
            for (GeneratedParcel p : d.parcels()) {
                sb.setLength(0);
                sb.append(first ? "\n" : ",\n");
                first = false;
                sb.append("{\"type\":\"Feature\",\"properties\":{");
                sb.append("\"MaXa\":");
                Fmt.jsonString(sb, p.communeCode);
                sb.append(",\"SoTo\":").append(p.sheetNo);
                sb.append(",\"SoThua\":").append(p.parcelNo);
                sb.append(",\"MucDichSD\":");
                Fmt.jsonString(sb, p.landUse);
                sb.append(",\"DienTich\":");
                Fmt.fixed(sb, p.legalArea, 1);
                sb.append(",\"DiaChi\":");
                Fmt.jsonString(sb, p.address);
                sb.append(",\"TenChu\":");
                Fmt.jsonString(sb, p.owner);
                sb.append("},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[");
                for (int r = 0; r < p.rings.length; r++) {
                    sb.append(r == 0 ? "[" : ",[");
                    ring(sb, p.rings[r]);
                    sb.append(']');
                }
                sb.append("]}}");
                w.append(sb);
            }
            w.write("\n]}\n");
        }
        try (Writer w = open(dir.resolve("communes.geojson"), "communes", crs)) {
            boolean first = true;
            for (var e : d.communeGeometries().entrySet()) {
                var commune = d.profile().communes().stream().filter(c -> c.code().equals(e.getKey())).findFirst().orElseThrow();
                StringBuilder sb = new StringBuilder();
                sb.append(first ? "\n" : ",\n");
                first = false;
                sb.append("{\"type\":\"Feature\",\"properties\":{\"MaXa\":");
                Fmt.jsonString(sb, commune.code());
                sb.append(",\"TenXa\":");
                Fmt.jsonString(sb, commune.name());
                sb.append(",\"MaHuyen\":");
                Fmt.jsonString(sb, d.profile().code());
                sb.append("},\"geometry\":");
                geometry(sb, e.getValue());
                sb.append('}');
                w.append(sb);
            }
            w.write("\n]}\n");
        }
        try (Writer w = open(dir.resolve("map_sheets.geojson"), "map_sheets", crs)) {
            boolean first = true;
            for (SyntheticDistrict.Sheet s : d.sheets()) {
                StringBuilder sb = new StringBuilder();
                sb.append(first ? "\n" : ",\n");
                first = false;
                sb.append("{\"type\":\"Feature\",\"properties\":{\"MaXa\":");
                Fmt.jsonString(sb, s.communeCode());
                sb.append(",\"SoTo\":").append(s.sheetNo()).append(",\"TyLe\":").append(s.scale()).append(",\"PhienHieu\":");
                Fmt.jsonString(sb, s.gridRef());
                double[] f = s.frame();
                sb.append("},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[");
                ring(sb, new double[] {f[0], f[1], f[2], f[1], f[2], f[3], f[0], f[3], f[0], f[1]});
                sb.append("]}}");
                w.append(sb);
            }
            w.write("\n]}\n");
        }
        try (Writer w = open(dir.resolve("planning_zones.geojson"), "planning_zones", crs)) {
            boolean first = true;
            for (SyntheticDistrict.PlanningZone z : d.planningZones()) {
                StringBuilder sb = new StringBuilder();
                sb.append(first ? "\n" : ",\n");
                first = false;
                sb.append("{\"type\":\"Feature\",\"properties\":{\"MaKhu\":");
                Fmt.jsonString(sb, z.zoneCode());
                sb.append(",\"ChucNang\":");
                Fmt.jsonString(sb, z.plannedUse());
                sb.append(",\"MatDo\":");
                Fmt.fixed(sb, z.density(), 0);
                sb.append(",\"TangCao\":").append(z.maxFloors()).append(",\"HeSoSDD\":");
                Fmt.fixed(sb, z.floorAreaRatio(), 1);
                sb.append("},\"geometry\":");
                geometry(sb, z.geometry());
                sb.append('}');
                w.append(sb);
            }
            w.write("\n]}\n");
        }
    }

    static void writeDefects(SyntheticDistrict d, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("kind,commune_code,sheet_no,parcel_no,x,y\n");
        for (SyntheticDistrict.InjectedDefect x : d.defects()) {
            sb.append(x.kind().key()).append(',').append(x.communeCode()).append(',').append(x.sheetNo()).append(',')
                    .append(x.parcelNo()).append(',');
            Fmt.fixed(sb, x.x(), 3);
            sb.append(',');
            Fmt.fixed(sb, x.y(), 3);
            sb.append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    private static Writer open(Path file, String name, String crs) throws IOException {
        Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
        w.write("{\"type\":\"FeatureCollection\",\"name\":\"" + name + "\",\"crs\":" + crs + ",\"features\":[");
        return w;
    }

    private static void ring(StringBuilder sb, double[] xy) {
        sb.append('[');
        for (int i = 0; i < xy.length; i += 2) {
            sb.append(i == 0 ? "[" : ",[");
            Fmt.fixed(sb, xy[i], 3);
            sb.append(',');
            Fmt.fixed(sb, xy[i + 1], 3);
            sb.append(']');
        }
        sb.append(']');
    }

    static void geometry(StringBuilder sb, Geometry g) {
        sb.append("{\"type\":\"MultiPolygon\",\"coordinates\":[");
        for (int k = 0; k < g.getNumGeometries(); k++) {
            Polygon poly = (Polygon) g.getGeometryN(k);
            sb.append(k == 0 ? "[" : ",[");
            for (int r = 0; r <= poly.getNumInteriorRing(); r++) {
                if (r > 0) {
                    sb.append(',');
                }
                var ring = r == 0 ? poly.getExteriorRing() : poly.getInteriorRingN(r - 1);
                var cs = ring.getCoordinates();
                double[] xy = new double[cs.length * 2];
                for (int i = 0; i < cs.length; i++) {
                    xy[2 * i] = cs[i].x;
                    xy[2 * i + 1] = cs[i].y;
                }
                ring(sb, xy);
            }
            sb.append(']');
        }
        sb.append("]}");
    }

}
