package vn.landgis.cadastre;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Map;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import vn.landgis.generator.CadastreGenerator;
import vn.landgis.generator.GeneratedParcel;
import vn.landgis.generator.SyntheticDistrict;
import vn.landgis.geo.ProvinceProperties;

/**
 * Loads a generated demo district into the register when {@code landgis.demo.load-on-start} is set (the
 * README's run command), unless that district already has parcels: communes' geometries, map sheets and
 * parcels, as one change of kind 'demo', in one transaction. District deliveries go through the import
 * pipeline instead; this exists so that a fresh machine shows a living register at once.
 */
@Component
@ConditionalOnProperty(name = "landgis.demo.load-on-start", havingValue = "true")
@Order(0)
class DemoDistrictLoader implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoDistrictLoader.class);
    /** The date the demo district's survey is taken to have been accepted. */
    private static final String SURVEY_DATE = "2020-06-30T00:00:00+07:00";

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final DemoProperties demo;
    private final ProvinceProperties province;

    DemoDistrictLoader(DataSource dataSource, JdbcTemplate jdbc, TransactionTemplate tx, DemoProperties demo,
                       ProvinceProperties province) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.tx = tx;
        this.demo = demo;
        this.province = province;
    }

    @Override
    public void run(ApplicationArguments args) {
        Integer existing = jdbc.queryForObject("""
                SELECT count(*) FROM cadastre.parcel p JOIN cadastre.admin_unit_legacy c ON c.code = p.commune_code
                WHERE c.parent_code = ?""", Integer.class, demo.district());
        if (existing != null && existing > 0) {
            log.info("demo district {} already loaded ({} parcel versions); nothing to do", demo.district(), existing);
        } else {
            long t0 = System.nanoTime();
            SyntheticDistrict district = CadastreGenerator.generate(
                    new CadastreGenerator.Options(demo.seed(), demo.parcels(), demo.district(), Map.of()));
            tx.executeWithoutResult(status -> load(district));
            log.info("demo district {} loaded: {} parcels, {} map sheets in {} ms", demo.district(), district.parcels().size(),
                    district.sheets().size(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private void load(SyntheticDistrict district) {
        int source = district.crs().srid();
        int storage = province.storageSrid();
        // one audit event for the whole load instead of one per row
        jdbc.queryForObject("SELECT set_config('landgis.audit_bulk', 'on', true)", String.class);
        Long changeId = jdbc.queryForObject("""
                INSERT INTO cadastre.change (kind, happened_at, actor, reason, details)
                VALUES ('demo', ?::timestamptz, 'landgis', ?, jsonb_build_object('seed', ?::bigint, 'parcels', ?::int, 'district', ?::text))
                RETURNING id""", Long.class, SURVEY_DATE, "Demo district (synthetic cadastre generator)",
                demo.seed(), district.parcels().size(), demo.district());
        var wkb = new org.locationtech.jts.io.WKBWriter(2, true);
        district.communeGeometries().forEach((code, geometry) -> jdbc.update("""
                UPDATE cadastre.admin_unit_legacy SET geom = ST_Multi(ST_Transform(ST_GeomFromEWKB(?), ?)) WHERE code = ?""",
                wkb.write(geometry), storage, code));
        jdbc.update("""
                UPDATE cadastre.admin_unit_legacy d SET geom = (SELECT ST_Multi(ST_Union(c.geom)) FROM cadastre.admin_unit_legacy c
                WHERE c.parent_code = d.code) WHERE d.code = ?""", demo.district());
        jdbc.update("""
                UPDATE cadastre.admin_unit n SET geom = u.geom FROM (
                    SELECT s.new_code, ST_Multi(ST_Union(l.geom)) AS geom FROM cadastre.commune_succession s
                    JOIN cadastre.admin_unit_legacy l ON l.code = s.legacy_code WHERE l.geom IS NOT NULL GROUP BY s.new_code) u
                WHERE n.code = u.new_code""");
        for (SyntheticDistrict.Sheet s : district.sheets()) {
            double[] f = s.frame();
            jdbc.update("""
                    INSERT INTO cadastre.map_sheet (commune_code, sheet_no, scale, grid_ref, source_srid, change_id, geom)
                    VALUES (?, ?, ?, ?, ?, ?, ST_Transform(ST_MakeEnvelope(?, ?, ?, ?, ?), ?))""",
                    s.communeCode(), s.sheetNo(), s.scale(), s.gridRef(), source, changeId, f[0], f[1], f[2], f[3], source, storage);
        }
        copyParcels(district, changeId, source, storage);
        loadPlan(district, changeId, source, storage);
        jdbc.update("INSERT INTO audit.event (actor, action, target, details) VALUES ('landgis', 'demo-load', ?, "
                + "jsonb_build_object('parcels', ?::int, 'sheets', ?::int))", "cadastre.change:" + changeId,
                district.parcels().size(), district.sheets().size());
    }

    /** The generator's zoning plan (1/2 000) over the district, in force, so the planning layers have content. */
    private void loadPlan(SyntheticDistrict district, long changeId, int source, int storage) {
        String name = jdbc.queryForObject("SELECT name FROM cadastre.admin_unit_legacy WHERE code = ?", String.class, demo.district());
        Long planId = jdbc.queryForObject("""
                INSERT INTO planning.plan (kind, name, scale, decision_no, decision_date, decision_body, status, district_code, change_id)
                VALUES ('zoning', ?, 2000, 'DEMO-01/QĐ-UBND', DATE '2024-06-30', 'UBND tỉnh (dữ liệu mô phỏng)', 'in_force', ?, ?)
                RETURNING id""", Long.class, "Quy hoạch phân khu tỷ lệ 1/2000 " + name + " (mô phỏng)", demo.district(), changeId);
        var wkb = new org.locationtech.jts.io.WKBWriter(2, false);
        for (SyntheticDistrict.PlanningZone z : district.planningZones()) {
            // a planned use the reference table does not know would break the foreign key: such zones are skipped
            jdbc.update("""
                    INSERT INTO planning.zone (plan_id, zone_code, land_use_code, building_density, max_floors, floor_area_ratio, geom)
                    SELECT ?, ?, t.code, ?, ?, ?, ST_Multi(ST_Transform(ST_GeomFromWKB(?, ?), ?))
                    FROM cadastre.land_use_type t WHERE t.code = ?""",
                    planId, z.zoneCode(), z.density(), z.maxFloors(), z.floorAreaRatio(), wkb.write(z.geometry()), source, storage,
                    z.plannedUse());
        }
        // indicators the generator does not set: a height limit of about 4 m a floor, setbacks along streets
        jdbc.update("""
                UPDATE planning.zone SET height_limit_m = CASE WHEN max_floors > 0 THEN max_floors * 4 END,
                       setback_m = CASE WHEN land_use_code IN ('ODT', 'ONT', 'TMD', 'DGD', 'DYT', 'DKV', 'SKC') THEN 3.0 END
                 WHERE plan_id = ?""", planId);
        // two planned arterial roads across the district (road red lines, chỉ giới đường đỏ): a centre line with the
        // width of the road reserve, through the middle of the district, clipped to it
        jdbc.update("""
                INSERT INTO planning.line (plan_id, kind, width_m, note, geom)
                SELECT ?, 'red_line', w.width, w.note, ST_Multi(ST_CollectionExtract(ST_Intersection(d.geom,
                       ST_SetSRID(ST_MakeLine(ST_MakePoint(c.x + w.dx0 * e.dx, c.y + w.dy0 * e.dy),
                                              ST_MakePoint(c.x + w.dx1 * e.dx, c.y + w.dy1 * e.dy)), ST_SRID(d.geom))), 2))
                  FROM (SELECT geom FROM cadastre.admin_unit_legacy WHERE code = ?) d,
                       LATERAL (SELECT ST_X(ST_Centroid(d.geom)) AS x, ST_Y(ST_Centroid(d.geom)) AS y) c,
                       LATERAL (SELECT ST_XMax(d.geom) - ST_XMin(d.geom) AS dx, ST_YMax(d.geom) - ST_YMin(d.geom) AS dy) e,
                       (VALUES (30.0, 'Trục đường Bắc - Nam mở mới, lộ giới 30 m (mô phỏng)', 0.05, -1.0, -0.05, 1.0),
                               (24.0, 'Đường Đông - Tây mở rộng, lộ giới 24 m (mô phỏng)', -1.0, 0.08, 1.0, 0.02)) AS w(width, note, dx0, dy0, dx1, dy1)
                 WHERE d.geom IS NOT NULL""", planId, demo.district());
    }

    /**
     * Synthetic parties and land-use rights for the demo parcels: the generated user of each private parcel
     * (a CCCD-shaped id number, birth year, address), the People's Committee for public land, a certificate
     * (GCN) number and date for each right; a fifth of the homes held by a couple in equal shares.
     */
    private void addPartiesAndRights() {
        jdbc.execute("""
                CREATE TEMPORARY TABLE demo_holder ON COMMIT DROP AS
                SELECT p.id AS parcel_version, d.owner, d.owner LIKE 'UBND %' AS state, d.address,
                       nextval(pg_get_serial_sequence('cadastre.party', 'id')) AS party_id,
                       CASE WHEN p.land_use_code IN ('ODT', 'ONT') AND p.id % 5 = 0
                            THEN nextval(pg_get_serial_sequence('cadastre.party', 'id')) END AS spouse_id
                FROM cadastre.parcel p JOIN demo_parcel d USING (commune_code, sheet_no, parcel_no)""");
        jdbc.update("""
                INSERT INTO cadastre.party (id, kind, full_name, id_number, address, birth_year) OVERRIDING SYSTEM VALUE
                SELECT h.party_id, CASE WHEN h.state THEN 'state' ELSE 'person' END, h.owner,
                       CASE WHEN h.state THEN NULL ELSE '080' || (h.party_id % 2) || lpad(((1950 + h.party_id % 50) % 100)::text, 2, '0')
                            || lpad(((h.party_id * 2654435761) % 1000000)::text, 6, '0') END,
                       h.address, CASE WHEN h.state THEN NULL ELSE 1950 + h.party_id % 50 END
                FROM demo_holder h
                UNION ALL
                SELECT h.spouse_id, 'person',
                       (ARRAY['Nguyễn Thị Lan', 'Trần Thị Hồng', 'Lê Thị Mai', 'Phạm Thị Hạnh', 'Võ Thị Thu', 'Huỳnh Thị Ánh'])[1 + h.spouse_id % 6],
                       '0801' || lpad(((1952 + h.spouse_id % 50) % 100)::text, 2, '0') || lpad(((h.spouse_id * 40503) % 1000000)::text, 6, '0'),
                       h.address, 1952 + h.spouse_id % 50
                FROM demo_holder h WHERE h.spouse_id IS NOT NULL""");
        jdbc.update("""
                INSERT INTO cadastre.land_right (parcel_version, party_id, right_type, share, certificate_no, certificate_date)
                SELECT h.parcel_version, x.party_id, CASE WHEN h.state THEN 'state_management' ELSE 'land_use' END,
                       CASE WHEN h.spouse_id IS NULL THEN 1 ELSE 0.5 END,
                       CASE WHEN h.state THEN NULL ELSE 'C' || chr(65 + (h.parcel_version % 20)::int) || ' ' || lpad((h.parcel_version % 1000000)::text, 6, '0') END,
                       CASE WHEN h.state THEN NULL ELSE date '2000-01-01' + (h.parcel_version * 7 % 7300)::int END
                FROM demo_holder h CROSS JOIN LATERAL (VALUES (h.party_id), (h.spouse_id)) x(party_id)
                WHERE x.party_id IS NOT NULL""");
    }

    /** COPY into a temporary table in the sheets' system, then one INSERT that transforms into storage. */
    private void copyParcels(SyntheticDistrict district, long changeId, int source, int storage) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            jdbc.execute("""
                    CREATE TEMPORARY TABLE demo_parcel (commune_code text, sheet_no int, parcel_no int, land_use_code text,
                        legal_area numeric, geom_area numeric, address text, owner text, wkb text) ON COMMIT DROP""");
            StringBuilder csv = new StringBuilder(1 << 20);
            HexFormat hex = HexFormat.of();
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            String sql = "COPY demo_parcel FROM STDIN WITH (FORMAT csv)";
            int n = 0;
            for (GeneratedParcel p : district.parcels()) {
                csv.append(p.communeCode()).append(',').append(p.sheetNo()).append(',').append(p.parcelNo()).append(',')
                        .append(p.landUse()).append(',').append(p.legalArea()).append(',').append(Math.round(p.geomArea() * 100) / 100.0)
                        .append(",\"").append(p.address().replace("\"", "\"\"")).append("\",\"")
                        .append(p.owner().replace("\"", "\"\"")).append("\",")
                        .append(hex.formatHex(p.wkb())).append('\n');
                if (++n % 20_000 == 0) {
                    copy.copyIn(sql, new StringReader(csv.toString()));
                    csv.setLength(0);
                }
            }
            copy.copyIn(sql, new StringReader(csv.toString()));
            // the address strings for the search once each (V18), not through the parcels' trigger row by row
            jdbc.queryForObject("SELECT set_config('landgis.address_bulk', 'on', true)", String.class);
            jdbc.update("""
                    INSERT INTO cadastre.address_text (part, address, key) SELECT 0, n.address, cadastre.search_text(n.address)
                    FROM (SELECT DISTINCT address FROM demo_parcel WHERE address IS NOT NULL) n
                    WHERE NOT EXISTS (SELECT 1 FROM cadastre.address_text a WHERE a.address = n.address)""");
            jdbc.update("""
                    INSERT INTO cadastre.parcel (commune_code, new_commune_code, sheet_no, parcel_no, land_use_code,
                        legal_area, geom_area, address, geom, valid_from, opened_by)
                    SELECT d.commune_code,
                        (SELECT min(s.new_code) FROM cadastre.commune_succession s WHERE s.legacy_code = d.commune_code),
                        d.sheet_no, d.parcel_no, d.land_use_code, d.legal_area, d.geom_area, d.address,
                        ST_Multi(ST_Transform(ST_SetSRID(ST_GeomFromWKB(decode(d.wkb, 'hex')), ?), ?)), ?::timestamptz, ?
                    FROM demo_parcel d""", source, storage, SURVEY_DATE, changeId);
            jdbc.queryForObject("SELECT set_config('landgis.address_bulk', 'off', true)", String.class);
            addPartiesAndRights();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("loading the demo parcels failed", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
