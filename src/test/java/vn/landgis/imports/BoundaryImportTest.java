package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.landgis.generator.CadastreGenerator;
import vn.landgis.generator.GeneratorCommand;
import vn.landgis.generator.SyntheticDistrict;
import vn.landgis.geo.Ogr2Ogr;
import vn.landgis.geo.VietnameseEncoding;

/**
 * Commune boundaries loaded from a delivery's communes layer, and what they make possible: a delivery that declares
 * no CRS recognised by where the district lies (a TM-3 system 25 km off fits the province, not the district).
 */
@SpringBootTest
class BoundaryImportTest {

    @Autowired
    BoundaryImport boundaries;
    @Autowired
    ImportService imports;
    @Autowired
    JdbcTemplate jdbc;

    private static final String UNITS = "SELECT code FROM cadastre.admin_unit_legacy WHERE code = '703' OR parent_code = '703'";

    /** Other tests expect the district without boundaries: whatever this one loads goes again. */
    @BeforeEach
    @AfterEach
    void forget() {
        jdbc.update("UPDATE cadastre.admin_unit SET geom = NULL WHERE code IN (SELECT new_code FROM cadastre.commune_succession WHERE legacy_code IN ("
                + UNITS + "))");
        jdbc.update("UPDATE cadastre.admin_unit_legacy SET geom = NULL WHERE code IN (" + UNITS + ")");
    }

    @Test
    void communeBoundariesLetADeliveryWithoutCrsBeReadWhereTheDistrictLies(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = CadastreGenerator.generate(new CadastreGenerator.Options(61, 2000, "703", Map.of()));
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        Path gpkg = dir.resolve("district.gpkg");
        // the district's parcels in the other TM-3 system of the province, without .prj
        Files.createDirectories(dir.resolve("tm"));
        Ogr2Ogr.convert("ESRI Shapefile", dir.resolve("tm/parcels.shp"), gpkg, List.of("-t_srs", "EPSG:9210", "-lco", "ENCODING=UTF-8",
                "-sql", "SELECT * FROM parcels"), Ogr2Ogr.DEFAULT_TIMEOUT);
        Files.delete(dir.resolve("tm/parcels.prj"));
        // without boundaries: the district's own system fits the province, and is assumed
        ImportService.Outcome before = imports.run("703", dir.resolve("tm/parcels.shp"), true, "test", p -> { });
        assertThat(jdbc.queryForObject("SELECT source_srid FROM staging.import_batch WHERE id = ?", Integer.class, before.batchId())).isEqualTo(9209);

        BoundaryImport.Outcome loaded = boundaries.run("703", gpkg, null, "test");
        assertThat(loaded.missing()).as("a district of 2 000 parcels has all ten communes").isEmpty();
        assertThat(loaded.communes()).containsExactlyInAnyOrderElementsOf(d.communeGeometries().keySet());
        assertThat(loaded.sourceSrid()).isEqualTo(9209);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.admin_unit_legacy WHERE parent_code = '703' AND geom IS NOT NULL", Integer.class))
                .isEqualTo(d.communeGeometries().size());
        // the district's outline is its communes' union; each new commune that took one in has an outline too
        assertThat(jdbc.queryForObject("""
                SELECT abs(ST_Area(d.geom) - (SELECT sum(ST_Area(c.geom)) FROM cadastre.admin_unit_legacy c WHERE c.parent_code = d.code)) < 1
                FROM cadastre.admin_unit_legacy d WHERE d.code = '703'""", Boolean.class)).isTrue();
        assertThat(jdbc.queryForObject("""
                SELECT bool_and(n.geom IS NOT NULL) FROM cadastre.commune_succession s JOIN cadastre.admin_unit n ON n.code = s.new_code
                WHERE s.legacy_code IN (SELECT code FROM cadastre.admin_unit_legacy WHERE parent_code = '703')""", Boolean.class)).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit.event WHERE action = 'boundaries-load'", Integer.class)).isPositive();

        // with them: the coordinates fit the district only in EPSG:9210, and read as the same parcels
        ImportService.Outcome after = imports.run("703", dir.resolve("tm/parcels.shp"), true, "test", p -> { });
        assertThat(after.status()).isEqualTo("validated");
        assertThat(jdbc.queryForObject("SELECT source_srid FROM staging.import_batch WHERE id = ?", Integer.class, after.batchId())).isEqualTo(9210);
        assertThat(jdbc.queryForList("SELECT rule FROM staging.finding WHERE batch_id = ? AND severity <> 'info'", String.class, after.batchId()))
                .containsExactly("crs-recognised");

        // UTM 48N on WGS 84 without .prj: the same numbers fit UTM on VN-2000 and TM-3 105°00′ a few hundred metres
        // apart; the import reads them in one and refuses to guess
        Files.createDirectories(dir.resolve("utm"));
        Ogr2Ogr.convert("ESRI Shapefile", dir.resolve("utm/parcels.shp"), gpkg, List.of("-t_srs", "EPSG:32648", "-lco", "ENCODING=UTF-8",
                "-sql", "SELECT * FROM parcels"), Ogr2Ogr.DEFAULT_TIMEOUT);
        Files.delete(dir.resolve("utm/parcels.prj"));
        ImportService.Outcome utm = imports.run("703", dir.resolve("utm/parcels.shp"), true, "test", p -> { });
        assertThat(utm.status()).isEqualTo("rejected");
        assertThat(jdbc.queryForObject("SELECT message_en FROM staging.finding WHERE batch_id = ? AND rule = 'crs-ambiguous'", String.class, utm.batchId()))
                .contains("EPSG:3405").contains("EPSG:32648");

        // UTM on VN-2000 whose .prj says WGS 84 (a wrong choice in QGIS): about 225 m off, named wrong-datum, moved
        // where it belongs with the manifest's fixPlacement
        Files.createDirectories(dir.resolve("datum"));
        Ogr2Ogr.convert("ESRI Shapefile", dir.resolve("datum/parcels.shp"), gpkg, List.of("-t_srs", "EPSG:3405", "-lco", "ENCODING=UTF-8",
                "-sql", "SELECT * FROM parcels"), Ogr2Ogr.DEFAULT_TIMEOUT);
        Files.writeString(dir.resolve("datum/parcels.prj"), "PROJCS[\"WGS_1984_UTM_Zone_48N\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\","
                + "SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],"
                + "PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],"
                + "PARAMETER[\"Central_Meridian\",105.0],PARAMETER[\"Scale_Factor\",0.9996],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]");
        ImportService.Outcome datum = imports.run("703", dir.resolve("datum/parcels.shp"), true, "test", p -> { });
        assertThat(datum.status()).isEqualTo("rejected");
        assertThat(jdbc.queryForList("SELECT DISTINCT rule FROM staging.finding WHERE batch_id = ? AND severity = 'error'", String.class, datum.batchId()))
                .containsExactly("wrong-datum");
        Path fix = dir.resolve("fix.json");
        Files.writeString(fix, "{\"fixPlacement\": true}");
        ImportService.Outcome fixed = imports.run("703", dir.resolve("datum/parcels.shp"), fix, true, "test", p -> { }, id -> { });
        assertThat(fixed.status()).isEqualTo("validated");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.finding WHERE batch_id = ? AND rule = 'placement-fixed'", Long.class, fixed.batchId()))
                .isPositive();

        // TM-3 105°45' as GDAL and QGIS write a custom VN-2000 (no VN-2000 in any name, the shift in the datum's):
        // read as EPSG:9210 from the .prj itself
        Files.createDirectories(dir.resolve("custom"));
        Ogr2Ogr.convert("ESRI Shapefile", dir.resolve("custom/parcels.shp"), gpkg, List.of("-t_srs", "+proj=tmerc +lat_0=0 +lon_0=105.75 +k=0.9999 "
                + "+x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,-0.00427372,0.252906278 "
                + "+units=m +no_defs", "-lco", "ENCODING=UTF-8", "-sql", "SELECT * FROM parcels"), Ogr2Ogr.DEFAULT_TIMEOUT);
        assertThat(PrjInterpreter.srid(Files.readString(dir.resolve("custom/parcels.prj")))).isEqualTo(9210);
        ImportService.Outcome custom = imports.run("703", dir.resolve("custom/parcels.shp"), true, "test", p -> { });
        assertThat(custom.status()).isEqualTo("validated");
        assertThat(jdbc.queryForObject("SELECT source_srid FROM staging.import_batch WHERE id = ?", Integer.class, custom.batchId())).isEqualTo(9210);
    }

    /** Boundaries of some communes only: those communes get theirs, the district no outline (a part would tell a smaller place). */
    /**
     * Boundaries labelled with the province's other TM-3 meridian land 27 km away, still inside the province: they lie
     * away from the register's parcels of their own communes and are refused, nothing loaded (they were loaded, and
     * every later delivery of the district was refused as outside its communes).
     */
    @Test
    void boundariesAwayFromTheirCommunesParcelsAreRefused(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = CadastreGenerator.generate(new CadastreGenerator.Options(67, 1500, "703", Map.of()));
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        Path gpkg = dir.resolve("district.gpkg");
        jdbc.update("DELETE FROM staging.import_batch WHERE checksum LIKE ?", ImportService.checksum(gpkg) + "%");
        assertThat(imports.run("703", gpkg, false, "test", p -> { }).status()).isEqualTo("published");
        Ogr2Ogr.convert("GPKG", dir.resolve("wrong.gpkg"), gpkg, List.of("-nln", "communes", "-a_srs", "EPSG:9210", "-sql", "SELECT * FROM communes"),
                Ogr2Ogr.DEFAULT_TIMEOUT);
        assertThatThrownBy(() -> boundaries.run("703", dir.resolve("wrong.gpkg"), null, "test")).hasMessageContaining("nothing loaded")
                .hasMessageContaining("away from the register's parcels of their own communes").hasMessageContaining("EPSG:9210");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.admin_unit_legacy WHERE (code = '703' OR parent_code = '703') AND geom IS NOT NULL",
                Integer.class)).isZero();
        // as delivered, they load
        assertThat(boundaries.run("703", gpkg, null, "test").communes()).containsExactlyInAnyOrderElementsOf(d.communeGeometries().keySet());
    }

    @Test
    void aPartialLoadGivesTheDistrictNoOutline(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = CadastreGenerator.generate(new CadastreGenerator.Options(66, 300, "703", Map.of()));
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        String commune = d.parcels().getFirst().communeCode();
        // the commune by its name only, as boundary files often carry it
        Ogr2Ogr.convert("GPKG", dir.resolve("one.gpkg"), dir.resolve("district.gpkg"), List.of("-nln", "communes",
                "-sql", "SELECT geom, TenXa FROM communes WHERE MaXa = '" + commune + "'"), Ogr2Ogr.DEFAULT_TIMEOUT);
        // X and Y swapped: refused at once saying so, read right with the manifest's swapAxes
        Ogr2Ogr.convert("GPKG", dir.resolve("swapped.gpkg"), dir.resolve("one.gpkg"), List.of("-nln", "communes", "-sql", "SELECT * FROM communes",
                "-ct", "+proj=axisswap +order=2,1", "-s_srs", "EPSG:9209", "-t_srs", "EPSG:9209"), Ogr2Ogr.DEFAULT_TIMEOUT);
        assertThatThrownBy(() -> boundaries.run("703", dir.resolve("swapped.gpkg"), null, "test")).hasMessageContaining("X and Y are swapped");
        Path swap = Files.writeString(dir.resolve("manifest.json"), "{\"swapAxes\": true}");
        assertThat(boundaries.run("703", dir.resolve("swapped.gpkg"), swap, "test").communes()).containsExactly(commune);
        BoundaryImport.Outcome one = boundaries.run("703", dir.resolve("one.gpkg"), null, "test");
        assertThat(one.communes()).containsExactly(commune);
        assertThat(one.missing()).isNotEmpty().doesNotContain(commune);
        assertThat(jdbc.queryForObject("SELECT geom IS NULL FROM cadastre.admin_unit_legacy WHERE code = '703'", Boolean.class)).isTrue();
        assertThat(jdbc.queryForObject("SELECT geom IS NOT NULL FROM cadastre.admin_unit_legacy WHERE code = ?", Boolean.class, commune)).isTrue();
    }

    /**
     * A whole delivery drawn in the province's other TM-3 system while its .prj declares the district's (the file's
     * declaration wrong, not one sheet): with the boundaries every sheet is named wrong-meridian, and a manifest's
     * fixPlacement moves them all where they belong.
     */
    @Test
    void aWholeDeliveryDeclaredInTheWrongMeridianIsNamedSheetBySheetAndFixed(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = CadastreGenerator.generate(new CadastreGenerator.Options(64, 600, "703", Map.of()));
        GeneratorCommand.write(d, dir, Set.of("gpkg", "shp"), VietnameseEncoding.UTF8, null);
        boundaries.run("703", dir.resolve("district.gpkg"), null, "test");
        Files.createDirectories(dir.resolve("tm"));
        Ogr2Ogr.convert("ESRI Shapefile", dir.resolve("tm/parcels.shp"), dir.resolve("district.gpkg"), List.of("-t_srs", "EPSG:9210", "-lco",
                "ENCODING=UTF-8", "-sql", "SELECT * FROM parcels"), Ogr2Ogr.DEFAULT_TIMEOUT);
        Files.copy(dir.resolve("parcels.prj"), dir.resolve("tm/parcels.prj"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);   // says 9209
        ImportService.Outcome wrong = imports.run("703", dir.resolve("tm/parcels.shp"), true, "test", p -> { });
        assertThat(wrong.status()).isEqualTo("rejected");
        long sheets = d.parcels().stream().map(p -> p.communeCode() + "/" + p.sheetNo()).distinct().count();
        assertThat(jdbc.queryForList("SELECT rule FROM staging.finding WHERE batch_id = ? AND severity = 'error'", String.class, wrong.batchId()))
                .hasSize((int) sheets).containsOnly("wrong-meridian");
        Path manifest = dir.resolve("fix.json");
        Files.writeString(manifest, "{\"fixPlacement\": true}");
        ImportService.Outcome fixed = imports.run("703", dir.resolve("tm/parcels.shp"), manifest, true, "test", p -> { }, id -> { });
        assertThat(fixed.status()).isEqualTo("validated");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.finding WHERE batch_id = ? AND rule = 'placement-fixed'", Long.class, fixed.batchId()))
                .isEqualTo(sheets);
    }

    /**
     * A delivery that lies in none of its communes in any system (here 6 km off, as no hypothesis explains; or
     * boundaries of another survey): one error a sheet at once, not thousands of sheets judged one by one.
     */
    @Test
    void aDeliveryOutsideItsCommunesInEverySystemIsRefusedSheetBySheetAtOnce(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = CadastreGenerator.generate(new CadastreGenerator.Options(65, 600, "703", Map.of()));
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        boundaries.run("703", dir.resolve("district.gpkg"), null, "test");
        Files.createDirectories(dir.resolve("off"));
        Ogr2Ogr.convert("ESRI Shapefile", dir.resolve("off/parcels.shp"), dir.resolve("district.gpkg"), List.of("-ct", "+proj=affine +xoff=6000 +yoff=6000",
                "-lco", "ENCODING=UTF-8", "-sql", "SELECT * FROM parcels"), Ogr2Ogr.DEFAULT_TIMEOUT);
        ImportService.Outcome off = imports.run("703", dir.resolve("off/parcels.shp"), true, "test", p -> { });
        assertThat(off.status()).isEqualTo("rejected");
        long sheets = d.parcels().stream().map(p -> p.communeCode() + "/" + p.sheetNo()).distinct().count();
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM staging.finding WHERE batch_id = ? AND rule = 'misplaced-sheet' AND (details->>'wholeDelivery')::boolean""",
                Long.class, off.batchId())).isEqualTo(sheets);
    }

    /**
     * A whole delivery computed without VN-2000's seven-parameter shift (250 m off: only the parcels near commune
     * borders leave their commune): every sheet is named missing-datum-shift, and fixPlacement moves them all.
     */
    @Test
    void aWholeDeliveryWithoutTheDatumShiftIsNamedSheetBySheetAndFixed(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = CadastreGenerator.generate(new CadastreGenerator.Options(67, 600, "703", Map.of()));
        GeneratorCommand.write(d, dir, Set.of("gpkg", "shp"), VietnameseEncoding.UTF8, null);
        boundaries.run("703", dir.resolve("district.gpkg"), null, "test");
        Files.createDirectories(dir.resolve("noshift"));
        Ogr2Ogr.convert("ESRI Shapefile", dir.resolve("noshift/parcels.shp"), dir.resolve("district.gpkg"), List.of("-s_srs", "EPSG:9209", "-t_srs",
                SheetPlacement.withoutDatumShift(vn.landgis.geo.Vn2000Tm3.bySrid(9209).orElseThrow()), "-lco", "ENCODING=UTF-8",
                "-sql", "SELECT * FROM parcels"), Ogr2Ogr.DEFAULT_TIMEOUT);
        Files.copy(dir.resolve("parcels.prj"), dir.resolve("noshift/parcels.prj"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);   // says 9209
        ImportService.Outcome wrong = imports.run("703", dir.resolve("noshift/parcels.shp"), true, "test", p -> { });
        long sheets = d.parcels().stream().map(p -> p.communeCode() + "/" + p.sheetNo()).distinct().count();
        assertThat(jdbc.queryForList("SELECT rule FROM staging.finding WHERE batch_id = ? AND severity = 'error'", String.class, wrong.batchId()))
                .hasSize((int) sheets).containsOnly("missing-datum-shift");
        Path manifest = dir.resolve("fix.json");
        Files.writeString(manifest, "{\"fixPlacement\": true}");
        ImportService.Outcome fixed = imports.run("703", dir.resolve("noshift/parcels.shp"), manifest, true, "test", p -> { }, id -> { });
        assertThat(fixed.status()).as(findings(fixed.batchId())).isEqualTo("validated");
        // where the generator put them (its GeoPackage, imported beside), within a few centimetres
        ImportService.Outcome twin = imports.run("703", dir.resolve("district.gpkg"), true, "test", p -> { });
        assertThat(jdbc.queryForObject("""
                SELECT max(ST_Distance(ST_Centroid(a.geom), ST_Centroid(b.geom))) FROM staging.parcel a
                JOIN staging.parcel b ON (b.commune_code, b.sheet_no, b.parcel_no) = (a.commune_code, a.sheet_no, a.parcel_no) AND b.batch_id = ?
                WHERE a.batch_id = ?""", Double.class, twin.batchId(), fixed.batchId())).isLessThan(0.05);
    }

    private String findings(long batch) {
        return jdbc.queryForList("SELECT rule FROM staging.finding WHERE batch_id = ?", String.class, batch).toString();
    }

    @Test
    void aBoundaryFileThatCannotBeRightLoadsNothing(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = CadastreGenerator.generate(new CadastreGenerator.Options(62, 300, "703", Map.of()));
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        Path gpkg = dir.resolve("district.gpkg");
        // a commune code of another district
        Ogr2Ogr.convert("GPKG", dir.resolve("other.gpkg"), gpkg, List.of("-nln", "communes",
                "-sql", "SELECT geom, CASE WHEN rowid = 1 THEN '27694' ELSE MaXa END AS MaXa FROM communes"), Ogr2Ogr.DEFAULT_TIMEOUT);
        assertThatThrownBy(() -> boundaries.run("703", dir.resolve("other.gpkg"), null, "test"))
                .hasMessageContaining("27694 is no commune of district 703").hasMessageContaining("nothing loaded");
        // the right codes in metres of another system (Web Mercator) declared as nothing: not in the province
        Files.createDirectories(dir.resolve("merc"));
        Ogr2Ogr.convert("ESRI Shapefile", dir.resolve("merc/communes.shp"), gpkg, List.of("-t_srs", "EPSG:3857", "-sql", "SELECT * FROM communes"),
                Ogr2Ogr.DEFAULT_TIMEOUT);
        Files.delete(dir.resolve("merc/communes.prj"));
        assertThatThrownBy(() -> boundaries.run("703", dir.resolve("merc/communes.shp"), null, "test"))
                .hasMessageContaining("do not lie in the province");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.admin_unit_legacy WHERE (code = '703' OR parent_code = '703') AND geom IS NOT NULL",
                Integer.class)).isZero();
    }
}
