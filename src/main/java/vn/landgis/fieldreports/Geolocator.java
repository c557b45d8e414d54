package vn.landgis.fieldreports;

import java.util.Locale;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import vn.landgis.cadastre.ParcelLookup;
import vn.landgis.geo.ProvinceProperties;
import vn.landgis.geo.SupportedCrs;
import vn.landgis.platform.ApiProblem;

/**
 * Places a report: checks that the point can be in the province (finite, in range, not lat/long swapped, inside
 * the province's extent and, where the province's boundary is loaded, inside it), then in one statement finds the
 * current parcel that contains the point or the nearest one within the tolerance, the old commune and its district
 * and the new commune (the containing parcel's, else by the commune polygons), and the planning zone in force. An address without a point is geocoded against our own
 * data by the register's search (parcel number, parcel address, commune name; diacritics-insensitive).
 */
@Component
class Geolocator {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /** Where a report lies. Codes and parcel fields are null where nothing was found. */
    record Place(double x, double y, double lon, double lat, String source, String legacyCommuneCode, String legacyCommuneName,
                 String districtCode, String districtName, String communeCode, String communeName, Long parcelId,
                 Integer sheetNo, Integer parcelNo, String parcelAddress, Long zoneId, String zoneCode) {

        /** "Thửa 12, tờ 3, Phường 1, Thành phố Tân An" from what was found. */
        String label() {
            StringBuilder b = new StringBuilder();
            if (parcelNo != null) {
                b.append("Thửa ").append(parcelNo).append(", tờ ").append(sheetNo);
            }
            for (String s : new String[] {legacyCommuneName, districtName}) {
                if (s != null) {
                    b.append(b.isEmpty() ? "" : ", ").append(s);
                }
            }
            if (b.isEmpty() && communeName != null) {
                b.append(communeName);
            }
            return b.isEmpty() ? null : b.toString();
        }
    }

    private final JdbcTemplate jdbc;
    /** The placement statement: a generic plan, reused (see {@link vn.landgis.platform.HotPathJdbc}). */
    private final JdbcTemplate hot;
    private final ProvinceProperties province;
    private final ParcelLookup parcels;
    private final FieldReportProperties properties;
    private final String placeSql;

    Geolocator(JdbcTemplate jdbc, vn.landgis.platform.HotPathJdbc hot, ProvinceProperties province, ParcelLookup parcels,
               FieldReportProperties properties) {
        this.jdbc = jdbc;
        this.hot = hot.jdbc();
        this.province = province;
        this.parcels = parcels;
        this.properties = properties;
        int srid = province.storageSrid();
        this.placeSql = """
                WITH pt AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), ?), %d) AS g)
                SELECT ST_X(pt.g), ST_Y(pt.g), ST_X(ST_Transform(pt.g, 4326)), ST_Y(ST_Transform(pt.g, 4326)),
                       (SELECT bool_or(ST_DWithin(u.geom, pt.g, 200)) FROM cadastre.admin_unit u WHERE u.level = 'province' AND u.geom IS NOT NULL),
                       lc.code, lc.name, d.code, d.name, nc.code, nc.name,
                       pa.parcel_id, pa.sheet_no, pa.parcel_no, pa.address, z.id, z.zone_code
                  FROM pt
                  LEFT JOIN LATERAL (SELECT parcel_id, sheet_no, parcel_no, address, commune_code, new_commune_code,
                                            ST_Contains(geom, pt.g) AS inside FROM cadastre.parcel
                                      WHERE ?::float8 >= 0 AND valid_to IS NULL AND ST_DWithin(geom, pt.g, greatest(?::float8, 0))
                                      ORDER BY NOT ST_Contains(geom, pt.g), ST_Distance(geom, pt.g), id LIMIT 1) pa ON true
                  -- the communes of the parcel that contains the point (the register's own codes), else of the point
                  -- (point in a commune polygon of thousands of vertices is the costly part of this statement)
                  LEFT JOIN LATERAL (SELECT code, name, parent_code FROM cadastre.admin_unit_legacy WHERE pa.inside AND code = pa.commune_code
                                     UNION ALL
                                     (SELECT code, name, parent_code FROM cadastre.admin_unit_legacy
                                       WHERE NOT coalesce(pa.inside, false) AND level = 'commune' AND ST_Intersects(geom, pt.g)
                                       ORDER BY code LIMIT 1)
                                     LIMIT 1) lc ON true
                  LEFT JOIN cadastre.admin_unit_legacy d ON d.code = lc.parent_code
                  LEFT JOIN LATERAL (SELECT code, name FROM cadastre.admin_unit WHERE pa.inside AND code = pa.new_commune_code
                                     UNION ALL
                                     (SELECT code, name FROM cadastre.admin_unit
                                       WHERE NOT (coalesce(pa.inside, false) AND pa.new_commune_code IS NOT NULL)
                                         AND level = 'commune' AND ST_Intersects(geom, pt.g)
                                       ORDER BY code LIMIT 1)
                                     LIMIT 1) nc ON true
                  LEFT JOIN LATERAL (SELECT z.id, z.zone_code FROM planning.zone z JOIN planning.plan p ON p.id = z.plan_id
                                      WHERE p.status = 'in_force' AND ST_Intersects(z.geom, pt.g) ORDER BY z.id DESC LIMIT 1) z ON true
                """.formatted(srid);
    }

    /** A WGS 84 point from a phone (Open311 lat/long), or EXIF. */
    Place atLonLat(double lon, double lat, String source) {
        check(lon, lat, SupportedCrs.WGS84, "lat/long");
        return place(lon, lat, SupportedCrs.WGS84.srid(), source, properties.parcelToleranceM());
    }

    /** VN-2000 (or another supported projected system) x = easting, y = northing: the extension for survey devices. */
    Place atXy(double x, double y, SupportedCrs crs) {
        check(x, y, crs, "x/y");
        return place(x, y, crs.srid(), "vn2000", properties.parcelToleranceM());
    }

    /** Geocodes an address against the register and the communes; a clear error when nothing matches. */
    Place atAddress(String address) {
        String fc;
        try {
            fc = parcels.search(address, 1, SupportedCrs.WGS84, ParcelLookup.Audience.PUBLIC);
        } catch (ApiProblem e) {
            throw Open311Exception.badRequest("address_string: " + e.getMessage());
        }
        JsonNode f = MAPPER.readTree(fc).path("features").path(0);
        String match = f.path("properties").path("match").asString("");
        double[] xy = null;
        String source;
        if (match.equals("number") || match.equals("address")) {
            xy = point("SELECT ARRAY[ST_X(p), ST_Y(p)] FROM (SELECT ST_PointOnSurface(geom) p FROM cadastre.parcel "
                    + "WHERE parcel_id = ? AND valid_to IS NULL) s", f.path("id").asLong());
            source = "address_parcel";
        } else if (match.equals("commune")) {
            String code = f.path("properties").path("communeCode").asString();
            String table = "2025".equals(f.path("properties").path("era").asString()) ? "cadastre.admin_unit" : "cadastre.admin_unit_legacy";
            xy = point("SELECT ARRAY[ST_X(p), ST_Y(p)] FROM (SELECT ST_PointOnSurface(geom) p FROM " + table
                    + " WHERE code = ? AND geom IS NOT NULL) s", code);
            source = "address_commune";
        } else {
            source = null;
        }
        if (xy == null) {
            throw Open311Exception.badRequest("Không tìm thấy địa chỉ '" + shorten(address) + "' trong dữ liệu địa chính; hãy gửi lat/long "
                    + "/ address_string not found in the register; send lat and long");
        }
        // a commune's centre is no parcel's: tie to a parcel only when the address named one
        return place(xy[0], xy[1], province.storageSrid(), source, source.equals("address_parcel") ? 0.0 : -1.0);
    }

    private double[] point(String sql, Object arg) {
        return jdbc.query(sql, rs -> {
            if (!rs.next() || rs.getArray(1) == null) {
                return null;
            }
            Double[] a = (Double[]) rs.getArray(1).getArray();
            return a[0] == null ? null : new double[] {a[0], a[1]};
        }, arg);
    }

    private void check(double x, double y, SupportedCrs crs, String what) {
        switch (province.classify(x, y, crs)) {
            case INSIDE -> { }
            case NOT_FINITE -> throw Open311Exception.badRequest("Tọa độ không hợp lệ (NaN/vô cực) / " + what + " must be finite numbers");
            case OUT_OF_RANGE -> throw Open311Exception.badRequest(
                    "Vĩ độ trong [-90, 90], kinh độ trong [-180, 180] / lat must be within -90..90 and long within -180..180");
            case SWAPPED -> throw Open311Exception.badRequest(
                    "Vĩ độ và kinh độ bị đảo? / lat and long look swapped: lat is north (≈11), long is east (≈106)");
            case OUTSIDE -> throw outside(crs.toWgs84(x, y));
        }
    }

    private Open311Exception outside(double[] lonLat) {
        return Open311Exception.badRequest("Điểm nằm ngoài tỉnh " + province.name() + " / the point is outside the province of "
                + province.name() + String.format(Locale.ROOT, " (lat %.5f, long %.5f)", lonLat[1], lonLat[0]));
    }

    private Place place(double x, double y, int srid, String source, double toleranceM) {
        Place p = hot.queryForObject(placeSql, (rs, i) -> {
            if (Boolean.FALSE.equals(rs.getObject(5))) {
                throw outside(new double[] {rs.getDouble(3), rs.getDouble(4)});
            }
            return new Place(rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), source,
                    rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                    (Long) rs.getObject(12), (Integer) rs.getObject(13), (Integer) rs.getObject(14), rs.getString(15),
                    (Long) rs.getObject(16), rs.getString(17));
        }, x, y, srid, toleranceM, toleranceM);
        return p;
    }

    static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
