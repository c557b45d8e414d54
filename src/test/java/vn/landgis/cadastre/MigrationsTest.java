package vn.landgis.cadastre;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.landgis.support.ThrowawayDatabase;

class MigrationsTest {

    @Test
    void migrationsBuildTheRegisterOnAnEmptyDatabaseAndRerunAsNoOp() throws Exception {
        try (ThrowawayDatabase db = new ThrowawayDatabase()) {
            Flyway flyway = Flyway.configure().dataSource(db.dataSource()).placeholders(Map.of("storage_srid", "9210"))
                    .locations("classpath:db/migration").load();
            var result = flyway.migrate();
            assertThat(result.success).isTrue();
            assertThat(result.migrationsExecuted).isGreaterThanOrEqualTo(4);
            assertThat(flyway.migrate().migrationsExecuted).isZero();

            JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
            assertThat(jdbc.queryForList("SELECT nspname FROM pg_namespace", String.class))
                    .contains("cadastre", "planning", "fieldreports", "staging", "audit");
            assertThat(jdbc.queryForObject("SELECT Find_SRID('cadastre', 'parcel', 'geom')", Integer.class)).isEqualTo(9210);
            // reference data: the 2024 land-use list with colours, the legacy codes, old and new units
            assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.land_use_type WHERE current", Integer.class)).isGreaterThan(45);
            assertThat(jdbc.queryForObject("SELECT successor FROM cadastre.land_use_type WHERE code = 'BHK'", String.class)).isEqualTo("HNK");
            assertThat(jdbc.queryForObject("SELECT name_vi FROM cadastre.land_use_type WHERE code = 'LUC'", String.class))
                    .isEqualTo("Đất chuyên trồng lúa");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.admin_unit_legacy WHERE parent_code = '794'", Integer.class)).isEqualTo(14);
            assertThat(jdbc.queryForObject("SELECT source_srid FROM cadastre.admin_unit_legacy WHERE code = '25456'", Integer.class))
                    .as("former Tây Ninh sheets are drawn at 105°30'").isEqualTo(9209);
            assertThat(jdbc.queryForObject("""
                    SELECT n.name FROM cadastre.commune_succession s JOIN cadastre.admin_unit n ON n.code = s.new_code
                    WHERE s.legacy_code = '27703'""", String.class)).isEqualTo("Phường Long An");
            // the VN-2000 systems, pinned to EPSG:6960 (see V2)
            for (int srid : new int[] {4756, 3405, 3406, 9209, 9210, 5897}) {
                assertThat(jdbc.queryForObject("SELECT proj4text FROM spatial_ref_sys WHERE srid = ?", String.class, srid))
                        .contains("+towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278");
                assertThat(jdbc.queryForObject("SELECT auth_name FROM spatial_ref_sys WHERE srid = ?", String.class, srid)).isEqualTo("LANDGIS");
            }
        }
    }

    @Test
    void stagedParcelsOfEarlierImportsStayReadableOnceStagingIsPartitionedByBatch() throws Exception {
        try (ThrowawayDatabase db = new ThrowawayDatabase()) {
            var config = Flyway.configure().dataSource(db.dataSource()).placeholders(Map.of("storage_srid", "9210")).locations("classpath:db/migration");
            config.target("14").load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
            for (int i = 0; i < 2; i++) {
                long batch = jdbc.queryForObject("""
                        INSERT INTO staging.import_batch (district_code, source_name, checksum, status, actor)
                        VALUES ('703', 'd.gpkg', ?, 'validated', 'test') RETURNING id""", Long.class, "sum" + i);
                jdbc.update("""
                        INSERT INTO staging.parcel (batch_id, feature_no, commune_code, sheet_no, parcel_no, geom)
                        VALUES (?, 1, '25456', 4, 17, ST_Multi(ST_MakeEnvelope(560000, 1250000, 560010, 1250010, 9210)))""", batch);
            }
            config.target("latest").load().migrate();
            assertThat(jdbc.queryForObject("SELECT relkind::text FROM pg_class WHERE oid = 'staging.parcel'::regclass", String.class)).isEqualTo("p");
            assertThat(jdbc.queryForList("SELECT parcel_no FROM staging.parcel ORDER BY batch_id", Integer.class)).containsExactly(17, 17);
            assertThat(jdbc.queryForObject("SELECT round(ST_Area(geom)) FROM staging.parcel WHERE batch_id = 2", Double.class)).isEqualTo(100.0);
        }
    }
}
