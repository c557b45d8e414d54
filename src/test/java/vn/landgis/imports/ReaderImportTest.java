package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.landgis.generator.CadastreGenerator;
import vn.landgis.generator.Cpg;
import vn.landgis.generator.FamisWriter;
import vn.landgis.generator.GeneratedParcel;
import vn.landgis.generator.GeneratorCommand;
import vn.landgis.generator.SyntheticDistrict;
import vn.landgis.geo.Ogr2Ogr;
import vn.landgis.geo.VietnameseEncoding;

/** The readers through GDAL (FAMIS DGN/DXF, MapInfo) and the Excel register, imported into the real PostGIS. */
@SpringBootTest
class ReaderImportTest {

    @Autowired
    ImportService imports;
    @Autowired
    JdbcTemplate jdbc;

    static SyntheticDistrict district(long seed) {
        return CadastreGenerator.generate(new CadastreGenerator.Options(seed, 1500, "703", Map.of()));
    }

    /** The accepted staged parcels of a batch: key → land use code, geometric area, address, owner. */
    Map<String, Object[]> staged(long batch) {
        Map<String, Object[]> out = new HashMap<>();
        jdbc.query("""
                SELECT commune_code || '/' || sheet_no || '/' || parcel_no, land_use_code, ST_Area(geom), legal_area, address, owner
                FROM staging.parcel WHERE batch_id = ? AND NOT rejected""", rs -> {
            out.put(rs.getString(1), new Object[] {rs.getString(2), rs.getDouble(3), rs.getBigDecimal(4), rs.getString(5), rs.getString(6)});
        }, batch);
        return out;
    }

    Map<String, Long> findings(long batch) {
        return jdbc.queryForList("SELECT rule, count(*) n FROM staging.finding WHERE batch_id = ? GROUP BY rule", batch).stream()
                .collect(Collectors.toMap(r -> (String) r.get("rule"), r -> ((Number) r.get("n")).longValue()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dgn", "dxf"})
    void famisSheetsImportToTheSameParcelsAsTheirGeoPackageTwin(String format, @TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(51);
        GeneratorCommand.write(d, dir, Set.of("gpkg", format), VietnameseEncoding.UTF8, null);
        ImportService.Outcome twin = imports.run("703", dir.resolve("district.gpkg"), true, "test", p -> { });
        ImportService.Outcome famis = imports.run("703", dir.resolve(format), true, "test", p -> { });
        assertThat(twin.status()).isEqualTo("validated");
        assertThat(famis.status()).as(findings(famis.batchId()).toString()).isEqualTo("validated");
        assertThat(famis.features()).isEqualTo(d.parcels().size());
        Map<String, Object[]> a = staged(twin.batchId());
        Map<String, Object[]> b = staged(famis.batchId());
        assertThat(b.keySet()).hasSize(d.parcels().size()).isEqualTo(a.keySet());
        double worst = 0;
        for (String k : a.keySet()) {
            assertThat(b.get(k)[0]).as(k).isEqualTo(a.get(k)[0]);
            assertThat(b.get(k)[2]).as(k).isEqualTo(a.get(k)[2]);
            worst = Math.max(worst, Math.abs((double) b.get(k)[1] - (double) a.get(k)[1]));
        }
        System.out.printf("%s: %d parcels as the GeoPackage, largest area difference %.3f m²%n", format, b.size(), worst);
        assertThat(worst).isLessThan(ImportService.SLIVER_M2);
        Map<String, Long> found = findings(famis.batchId());
        assertThat(found).doesNotContainKeys("famis-dangle", "famis-two-labels", "famis-label-outside", "missing-key");
        // a polygon without a label is a hole in the sheet's lines: a parcel of another sheet lies there
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM staging.finding f WHERE f.batch_id = ? AND f.rule = 'famis-no-label'
                AND NOT EXISTS (SELECT 1 FROM staging.parcel p WHERE p.batch_id = ? AND ST_Intersects(p.geom, f.location)
                                AND (p.commune_code, p.sheet_no) IS DISTINCT FROM (f.commune_code, f.sheet_no))""",
                Long.class, famis.batchId(), twin.batchId())).isZero();
    }

    @Test
    void famisSheetsInCommuneFoldersNamedByTheirSheetAloneImportAsTheirTwin(@TempDir Path dir) throws IOException {
        // as districts deliver them: a folder a commune ("Phường 1", "Xã Tân Bình"), a file a sheet ("Tờ 3.dgn")
        SyntheticDistrict d = district(53);
        GeneratorCommand.write(d, dir, Set.of("gpkg", "dgn"), VietnameseEncoding.UTF8, null);
        Path delivery = Files.createDirectories(dir.resolve("giao-nop"));
        for (Path sheet : FamisReaderTest.sheets(dir.resolve("dgn"))) {
            String[] key = sheet.getFileName().toString().replace(".dgn", "").split("_");
            String commune = jdbc.queryForObject("SELECT name FROM cadastre.admin_unit_legacy WHERE code = ?", String.class, key[0]);
            Path folder = Files.createDirectories(delivery.resolve(commune));
            Files.move(sheet, folder.resolve("Tờ " + key[1] + ".dgn"));
        }
        ImportService.Outcome twin = imports.run("703", dir.resolve("district.gpkg"), true, "test", p -> { });
        ImportService.Outcome famis = imports.run("703", delivery, true, "test", p -> { });
        assertThat(famis.status()).as(findings(famis.batchId()).toString()).isEqualTo("validated");
        assertThat(staged(famis.batchId()).keySet()).hasSize(d.parcels().size()).isEqualTo(staged(twin.batchId()).keySet());
        assertThat(findings(famis.batchId())).doesNotContainKeys("famis-sheet-name", "missing-key", "famis-levels");
    }

    @Test
    void lineGapsAndDoubledLabelsAreReportedAndBlockPublishing(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(52);
        List<FamisWriter.LineDefect> injected = FamisWriter.write(d, dir.resolve("dgn"), "dgn", 0.01, 0.01);
        ImportService.Outcome o = imports.run("703", dir.resolve("dgn"), false, "test", p -> { });
        Map<String, Long> found = findings(o.batchId());
        long gaps = injected.stream().filter(x -> x.kind().equals("line-gap")).count();
        assertThat(gaps).isPositive();
        assertThat(found.get("famis-two-labels")).isEqualTo(injected.size());
        assertThat(found.get("famis-dangle")).isBetween(2 * gaps, 3 * gaps);
        for (FamisWriter.LineDefect x : injected) {
            assertThat(jdbc.queryForObject("""
                    SELECT count(*) FROM staging.finding WHERE batch_id = ? AND rule = 'famis-two-labels' AND commune_code = ? AND sheet_no = ?
                    AND message_en LIKE ? AND location IS NOT NULL""", Long.class, o.batchId(), x.communeCode(), x.sheetNo(),
                    "%" + x.parcelNo() + "%")).as(x.toString()).isPositive();
        }
        assertThat(o.status()).isEqualTo("rejected");
    }

    /**
     * A Shapefile written by a tool into a code page that cannot hold Vietnamese (GDAL's default for a .dbf, ISO-8859-1,
     * and no .cpg: letters it could not write became '?') reads as no encoding well: the import says so in a
     * warning, where the same district in TCVN3 or UTF-8 gets none.
     */
    @Test
    void textThatNoEncodingReadsWellIsReportedAsUncertain(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(53);
        GeneratorCommand.write(d, dir.resolve("utf8"), Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        GeneratorCommand.write(d, dir.resolve("tcvn3"), Set.of("shp"), VietnameseEncoding.TCVN3, Cpg.NONE);
        // a folder: one Shapefile per layer of the GeoPackage
        Ogr2Ogr.convert("ESRI Shapefile", dir.resolve("latin1"), dir.resolve("utf8/district.gpkg"),
                List.of("-lco", "ENCODING=ISO-8859-1"), Ogr2Ogr.DEFAULT_TIMEOUT);
        Files.deleteIfExists(dir.resolve("latin1/parcels.cpg"));
        ImportService.Outcome lossy = imports.run("703", dir.resolve("latin1/parcels.shp"), true, "test", p -> { });
        assertThat(lossy.status()).isEqualTo("validated");
        assertThat(findings(lossy.batchId())).containsEntry("encoding-uncertain", 1L);
        assertThat(jdbc.queryForObject("SELECT message_en FROM staging.finding WHERE batch_id = ? AND rule = 'encoding-uncertain'",
                String.class, lossy.batchId())).startsWith("text encoding uncertain: read as ").contains("name the encoding in the manifest");
        for (Path clean : List.of(dir.resolve("utf8/district.gpkg"), dir.resolve("tcvn3/parcels.shp"))) {
            ImportService.Outcome o = imports.run("703", clean, true, "test", p -> { });
            assertThat(findings(o.batchId())).as(clean.toString()).doesNotContainKey("encoding-uncertain");
        }
    }

    /** A MicroStation V8 sheet (GDAL reads V7 only) and a file GDAL cannot read at all are refused with what to do, not GDAL's driver list. */
    @Test
    void unreadableCadFilesAreRefusedWithAReadableReason(@TempDir Path dir) throws IOException {
        Path v8 = dir.resolve("v8/25456_3.dgn");
        Files.createDirectories(v8.getParent());
        byte[] ole = new byte[4096];
        System.arraycopy(new byte[] {(byte) 0xd0, (byte) 0xcf, 0x11, (byte) 0xe0, (byte) 0xa1, (byte) 0xb1, 0x1a, (byte) 0xe1}, 0, ole, 0, 8);
        Files.write(v8, ole);
        assertThatThrownBy(() -> imports.run("703", v8, true, "test", p -> { })).hasMessageContaining("MicroStation V8")
                .hasMessageContaining("V7");
        Path broken = dir.resolve("broken/25456_4.dxf");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "not a drawing");
        assertThatThrownBy(() -> imports.run("703", broken, true, "test", p -> { })).hasMessageContaining("25456_4.dxf")
                .hasMessageNotContaining("-> `").hasMessageNotContaining("following drivers");
    }

    @Test
    void aMapInfoTableInTcvn3ReadsAsTheSameUnicodeParcels(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(53);
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        GeneratorCommand.write(d, dir.resolve("shp"), Set.of("shp"), VietnameseEncoding.TCVN3, Cpg.NONE);
        // the district's TCVN3 bytes carried unchanged into a MapInfo table ("Neutral" charset), as district tools leave them
        Files.createDirectories(dir.resolve("tab"));
        Ogr2Ogr.convert("MapInfo File", dir.resolve("tab/thua_dat.tab"), dir.resolve("shp/parcels.shp"),
                List.of("--config", "SHAPE_ENCODING", "", "-lco", "BOUNDS=" + bounds(d)), Ogr2Ogr.DEFAULT_TIMEOUT);
        assertThat(Files.readString(dir.resolve("tab/thua_dat.tab"), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("Neutral");
        ImportService.Outcome twin = imports.run("703", dir.resolve("district.gpkg"), true, "test", p -> { });
        ImportService.Outcome tab = imports.run("703", dir.resolve("tab"), true, "test", p -> { });
        assertSameParcels(d, twin, tab, "TCVN3");

        // the same bytes under a table that claims to be WindowsLatin1 (GDAL alone would recode them into mojibake)
        Files.createDirectories(dir.resolve("latin"));
        for (String ext : List.of("tab", "dat", "map", "id")) {
            Files.copy(dir.resolve("tab/thua_dat." + ext), dir.resolve("latin/thua_dat." + ext));
        }
        Path latinTab = dir.resolve("latin/thua_dat.tab");
        Files.writeString(latinTab, Files.readString(latinTab, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("!charset Neutral", "!charset WindowsLatin1"), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(MapInfoReader.declaredCharset(latinTab)).isEqualTo("WindowsLatin1");
        ImportService.Outcome latin = imports.run("703", dir.resolve("latin"), true, "test", p -> { });
        assertSameParcels(d, twin, latin, "TCVN3");
        assertThat(jdbc.queryForObject("SELECT encoding_note FROM staging.import_batch WHERE id = ?", String.class, latin.batchId()))
                .contains("WindowsLatin1");

        // and as MIF/MID with the same lie in its header
        Files.createDirectories(dir.resolve("mif"));
        Ogr2Ogr.convert("MapInfo File", dir.resolve("mif/thua_dat.mif"), dir.resolve("shp/parcels.shp"),
                List.of("--config", "SHAPE_ENCODING", "", "-dsco", "FORMAT=MIF", "-lco", "BOUNDS=" + bounds(d)), Ogr2Ogr.DEFAULT_TIMEOUT);
        Path mif = dir.resolve("mif/thua_dat.mif");
        byte[] bytes = Files.readAllBytes(mif);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).contains("Charset \"Neutral\"");
        Files.write(mif, text.replaceFirst("Charset \"Neutral\"", "Charset \"WindowsLatin1\"").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        ImportService.Outcome mifOutcome = imports.run("703", dir.resolve("mif"), true, "test", p -> { });
        assertSameParcels(d, twin, mifOutcome, "TCVN3");
    }

    private void assertSameParcels(SyntheticDistrict d, ImportService.Outcome twin, ImportService.Outcome tab, String encoding) {
        assertThat(tab.status()).as(findings(tab.batchId()).toString()).isEqualTo("validated");
        assertThat(jdbc.queryForObject("SELECT encoding_note FROM staging.import_batch WHERE id = ?", String.class, tab.batchId())).startsWith(encoding);
        Map<String, Object[]> a = staged(twin.batchId());
        Map<String, Object[]> b = staged(tab.batchId());
        assertThat(b.keySet()).hasSize(d.parcels().size()).isEqualTo(a.keySet());
        long vietnamese = 0;
        for (String k : a.keySet()) {
            for (int c : new int[] {0, 2, 3, 4}) {
                assertThat(b.get(k)[c]).as(k).isEqualTo(a.get(k)[c]);
            }
            // MapInfo stores integer coordinates on a grid fitted to the table's bounds
            assertThat((double) b.get(k)[1]).as(k).isCloseTo((double) a.get(k)[1], org.assertj.core.data.Offset.offset(0.01));
            vietnamese += a.get(k)[4] != null && ((String) a.get(k)[4]).chars().anyMatch(ch -> ch > 0x7F) ? 1 : 0;
        }
        assertThat(vietnamese).isGreaterThan(a.size() / 2);
    }

    /** The district's extent, a little larger, as MapInfo's BOUNDS: the table's coordinate grid is fitted to it. */
    static String bounds(SyntheticDistrict d) {
        double[] e = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (GeneratedParcel p : d.parcels()) {
            for (double[] ring : p.rings()) {
                for (int i = 0; i + 1 < ring.length; i += 2) {
                    e[0] = Math.min(e[0], ring[i]);
                    e[1] = Math.min(e[1], ring[i + 1]);
                    e[2] = Math.max(e[2], ring[i]);
                    e[3] = Math.max(e[3], ring[i + 1]);
                }
            }
        }
        return String.format(java.util.Locale.ROOT, "%.0f,%.0f,%.0f,%.0f", e[0] - 1000, e[1] - 1000, e[2] + 1000, e[3] + 1000);
    }

    /**
     * A district's communes each in a Shapefile of their own (ThuaDat_25456.shp, ...), beside another layer: read as
     * one delivery, numbered on from file to file, the same parcels as the one-file twin; files that declare
     * different CRSs are refused before anything is read.
     */
    @Test
    void aDeliveryInOneFileACommuneIsReadAsOne(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(58);
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        List<String> communes = d.parcels().stream().map(p -> p.communeCode()).distinct().sorted().toList();
        assertThat(communes.size()).isGreaterThan(1);
        Path delivery = Files.createDirectories(dir.resolve("delivery"));
        for (String commune : communes) {
            vn.landgis.geo.Ogr2Ogr.convert("ESRI Shapefile", delivery.resolve("ThuaDat_" + commune + ".shp"), dir.resolve("district.gpkg"),
                    List.of("-sql", "SELECT * FROM parcels WHERE MaXa = '" + commune + "'", "-lco", "ENCODING=UTF-8"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        }
        vn.landgis.geo.Ogr2Ogr.convert("ESRI Shapefile", delivery.resolve("GiaoThong.shp"), dir.resolve("district.gpkg"),
                List.of("-sql", "SELECT * FROM parcels WHERE MucDichSD = 'DGT'", "-lco", "ENCODING=UTF-8"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        ImportService.Outcome o = imports.run("703", delivery, true, "test", p -> { });
        assertThat(o.status()).as(findings(o.batchId()).toString()).isEqualTo("validated");
        ImportService.Outcome twin = imports.run("703", dir.resolve("district.gpkg"), true, "test", p -> { });
        // the Shapefile's rings run the other way round: compared in PostGIS's normal form
        String keys = "SELECT count(*) || ' ' || md5(string_agg(commune_code || '/' || sheet_no || '/' || parcel_no || ST_AsText(ST_Normalize(geom), 3), ','"
                + " ORDER BY commune_code, sheet_no, parcel_no)) FROM staging.parcel WHERE batch_id = ?";
        assertThat(jdbc.queryForObject(keys, String.class, o.batchId())).isEqualTo(jdbc.queryForObject(keys, String.class, twin.batchId()));
        // the files without a commune column, the commune in their names (a code, or the commune's name)
        Map<String, String> names = new java.util.HashMap<>();
        jdbc.query("SELECT code, name FROM cadastre.admin_unit_legacy WHERE parent_code = '703'", rs -> {
            names.put(rs.getString(1), rs.getString(2));
        });
        Path unnamed = Files.createDirectories(dir.resolve("unnamed"));
        for (String commune : communes) {
            String fileName = commune.equals(communes.getFirst()) ? java.text.Normalizer.normalize(names.get(commune), java.text.Normalizer.Form.NFD)
                    .replaceAll("\\p{M}", "").replace('Đ', 'D').replace('đ', 'd').replace(' ', '_') : commune;
            vn.landgis.geo.Ogr2Ogr.convert("ESRI Shapefile", unnamed.resolve("ThuaDat_" + fileName + ".shp"), dir.resolve("district.gpkg"),
                    List.of("-sql", "SELECT geom, SoTo, SoThua, MucDichSD, DienTich, DiaChi FROM parcels WHERE MaXa = '" + commune + "'", "-lco", "ENCODING=UTF-8"),
                    vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        }
        ImportService.Outcome byName = imports.run("703", unnamed, true, "test", p -> { });
        assertThat(byName.status()).as(findings(byName.batchId()).toString()).isEqualTo("validated");
        assertThat(findings(byName.batchId())).containsEntry("commune-from-file-name", (long) communes.size())
                .containsEntry("file-features", (long) communes.size());
        assertThat(jdbc.queryForObject("SELECT source_name FROM staging.import_batch WHERE id = ?", String.class, byName.batchId()))
                .startsWith("ThuaDat_").endsWith(" +" + (communes.size() - 1));
        // files named for no commune (a label layer beside, two versions of the parcels) are no parts: refused as before
        Path versions = Files.createDirectories(dir.resolve("versions"));
        for (String v : List.of("parcels_old", "parcels_new")) {
            vn.landgis.geo.Ogr2Ogr.convert("ESRI Shapefile", versions.resolve(v + ".shp"), dir.resolve("district.gpkg"),
                    List.of("-sql", "SELECT * FROM parcels", "-lco", "ENCODING=UTF-8"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        }
        assertThatThrownBy(() -> imports.run("703", versions, true, "test", p -> { })).hasMessageContaining("name the parcels' file");
        // a commune a GeoPackage, each with another polygon table beside its parcels: the manifest's layer names the table
        Path packages = Files.createDirectories(dir.resolve("packages"));
        for (String commune : communes) {
            Path gpkg = packages.resolve("ThuaDat_" + commune + ".gpkg");
            vn.landgis.geo.Ogr2Ogr.convert("GPKG", gpkg, dir.resolve("district.gpkg"),
                    List.of("-sql", "SELECT * FROM parcels WHERE MaXa = '" + commune + "'", "-nln", "thua"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
            vn.landgis.geo.Ogr2Ogr.convert("GPKG", gpkg, dir.resolve("district.gpkg"),
                    List.of("-update", "-sql", "SELECT * FROM parcels WHERE MucDichSD = 'DGT'", "-nln", "giao_thong"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        }
        Path thua = Files.writeString(dir.resolve("layer.json"), "{\"layer\": \"thua\"}");
        ImportService.Outcome tables = imports.run("703", packages, thua, true, "test", p -> { }, id -> { });
        assertThat(tables.status()).as(findings(tables.batchId()).toString()).isEqualTo("validated");
        assertThat(jdbc.queryForObject(keys, String.class, tables.batchId())).isEqualTo(jdbc.queryForObject(keys, String.class, twin.batchId()));
        // a whole district's file and a commune's beside it: which is meant is asked
        vn.landgis.geo.Ogr2Ogr.convert("ESRI Shapefile", delivery.resolve("ThuaDat.shp"), dir.resolve("district.gpkg"),
                List.of("-sql", "SELECT * FROM parcels", "-lco", "ENCODING=UTF-8"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        assertThatThrownBy(() -> imports.run("703", delivery, true, "test", p -> { })).hasMessageContaining("a file a commune");
        for (String ext : List.of("shp", "shx", "dbf", "prj", "cpg")) {
            Files.deleteIfExists(delivery.resolve("ThuaDat." + ext));
        }
        assertThat(jdbc.queryForObject(keys, String.class, byName.batchId())).isEqualTo(jdbc.queryForObject(keys, String.class, twin.batchId()));
        // one file in another system: refused, nothing read
        Path last = delivery.resolve("ThuaDat_" + communes.getLast() + ".shp");
        for (String ext : List.of("shp", "shx", "dbf", "prj", "cpg")) {
            Files.deleteIfExists(delivery.resolve("ThuaDat_" + communes.getLast() + "." + ext));
        }
        vn.landgis.geo.Ogr2Ogr.convert("ESRI Shapefile", last, dir.resolve("district.gpkg"), List.of("-sql", "SELECT * FROM parcels WHERE MaXa = '"
                + communes.getLast() + "'", "-t_srs", "EPSG:32648", "-lco", "ENCODING=UTF-8"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        assertThatThrownBy(() -> imports.run("703", delivery, true, "test", p -> { })).hasMessageContaining("declare different CRSs");
    }

    /**
     * A file written with X and Y the other way round (northing first, as Vietnamese surveying writes X), its CRS
     * declared all the same: one axes-swapped error saying what to do (not only a million outside-province ones);
     * with the manifest's swapAxes it reads exactly as its twin.
     */
    @ParameterizedTest
    @ValueSource(strings = {"gpkg", "shp", "geojson"})
    void aFileWithXAndYSwappedIsNamedAndReadRightWhenTheManifestSaysSo(String format, @TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(57);
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        Files.createDirectories(dir.resolve("swapped"));
        Path swapped = dir.resolve("swapped").resolve(switch (format) {
            case "gpkg" -> "district.gpkg";
            case "shp" -> "parcels.shp";
            default -> "parcels.geojson";   // no extent up front: the staged parcels' is taken
        });
        vn.landgis.geo.Ogr2Ogr.convert(switch (format) {
                    case "gpkg" -> "GPKG";
                    case "shp" -> "ESRI Shapefile";
                    default -> "GeoJSON";
                }, swapped, dir.resolve("district.gpkg"),
                List.of("-sql", "SELECT * FROM parcels", "-nln", "parcels", "-ct", "+proj=axisswap +order=2,1", "-s_srs", "EPSG:9209", "-t_srs", "EPSG:9209",
                        "-lco", switch (format) {
                            case "gpkg" -> "SPATIAL_INDEX=YES";
                            case "shp" -> "ENCODING=UTF-8";
                            default -> "RFC7946=NO";
                        }),
                vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        ImportService.Outcome refused = imports.run("703", swapped, true, "test", p -> { });
        assertThat(refused.status()).isEqualTo("rejected");
        assertThat(findings(refused.batchId())).containsEntry("axes-swapped", 1L)
                .as("its consequences left out").doesNotContainKeys("outside-province", "misplaced-sheet", "outside-district");
        assertThat(jdbc.queryForObject("SELECT accepted_count FROM staging.import_batch WHERE id = ?", Long.class, refused.batchId())).isZero();
        // swapped and declared in the province's other TM-3 system as well: still named (without the communes'
        // boundaries the two systems, 25 km apart, both fit the province; with them the message names the one that fits)
        if (format.equals("gpkg")) {
            Path other = dir.resolve("other.gpkg");
            vn.landgis.geo.Ogr2Ogr.convert("GPKG", other, swapped, List.of("-a_srs", "EPSG:9210"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
            ImportService.Outcome both = imports.run("703", other, true, "test", p -> { });
            assertThat(findings(both.batchId())).containsEntry("axes-swapped", 1L);
        }
        Path manifest = Files.writeString(dir.resolve("manifest.json"), "{\"swapAxes\": true}");
        ImportService.Outcome read = imports.run("703", swapped, manifest, true, "test", p -> { }, id -> { });
        assertThat(read.status()).as(findings(read.batchId()).toString()).isEqualTo("validated");
        assertThat(findings(read.batchId())).containsKey("axes-swapped-read").doesNotContainKeys("axes-swapped", "outside-province");
        ImportService.Outcome twin = imports.run("703", dir.resolve("district.gpkg"), true, "test", p -> { });
        String rows = "SELECT md5(string_agg(commune_code || '/' || sheet_no || '/' || parcel_no || ST_AsText(geom, 3), ',' ORDER BY commune_code, sheet_no, parcel_no))"
                + " FROM staging.parcel WHERE batch_id = ?";
        assertThat(jdbc.queryForObject(rows, String.class, read.batchId())).isEqualTo(jdbc.queryForObject(rows, String.class, twin.batchId()));
        Files.writeString(manifest, "{\"swapAxes\": \"yes\"}");
        assertThatThrownBy(() -> Manifest.read(manifest)).hasMessageContaining("swapAxes is true or false");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xlsx", "xls"})
    void anExcelRegisterIsJoinedByItsSheetAndParcelNumbers(String ext, @TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(54);
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        List<GeneratedParcel> parcels = d.parcels();
        GeneratedParcel missing = parcels.get(7);
        GeneratedParcel changed = parcels.get(11);
        Map<String, String> communeNames = new java.util.HashMap<>();
        jdbc.query("SELECT code, name FROM cadastre.admin_unit_legacy WHERE parent_code = '703'", rs -> {
            communeNames.put(rs.getString(1), rs.getString(2));
        });
        try (Workbook wb = ext.equals("xlsx") ? new XSSFWorkbook() : new HSSFWorkbook(); OutputStream out = Files.newOutputStream(dir.resolve("so-muc-ke." + ext))) {
            Sheet s = wb.createSheet("SoMucKe");
            // as a sổ mục kê printed from a register: title rows, a header with units, a row of column numbers
            s.createRow(0).createCell(0).setCellValue("SỔ MỤC KÊ ĐẤT ĐAI");
            s.createRow(1).createCell(0).setCellValue("Xã: Bình Minh - Huyện: Thành phố Tây Ninh");
            Row h = s.createRow(3);
            // the communes by name, as a sổ mục kê writes them: joined to the map's codes all the same
            String[] header = {"STT", "Tên xã", "Số hiệu tờ bản đồ", "Số thửa", "Mục đích sử dụng", "Diện tích (m²)", "Địa chỉ", "Tên người sử dụng"};
            Row numbers = s.createRow(4);
            for (int i = 0; i < header.length; i++) {
                h.createCell(i).setCellValue(header[i]);
                numbers.createCell(i).setCellValue("(" + (i + 1) + ")");
            }
            int r = 5;
            // areas formatted with grouped thousands and no decimals, as registers print them: read as the numbers held
            var grouped = wb.createCellStyle();
            grouped.setDataFormat(wb.createDataFormat().getFormat("#,##0"));
            for (GeneratedParcel p : parcels) {
                if (p == missing) {
                    continue;
                }
                Row row = s.createRow(r);
                row.createCell(0).setCellValue(r++);
                row.createCell(1).setCellValue(communeNames.get(p.communeCode()));
                row.createCell(2).setCellValue(p.sheetNo());
                row.createCell(3).setCellValue(p.parcelNo());
                row.createCell(4).setCellValue(p == changed ? "CLN" : p.landUse());
                var areaCell = row.createCell(5);
                areaCell.setCellValue(p.legalArea());
                areaCell.setCellStyle(grouped);
                row.createCell(6).setCellValue(p.address());
                row.createCell(7).setCellValue(p == changed ? "Trần Thị Ngọc Ánh" : p.owner());
            }
            Row extra = s.createRow(r);
            extra.createCell(1).setCellValue(communeNames.get(changed.communeCode()));
            extra.createCell(2).setCellValue(changed.sheetNo());
            extra.createCell(3).setCellValue(99_999);
            extra.createCell(4).setCellValue("ODT");
            wb.write(out);
        }
        ImportService.Outcome o = imports.run("703", dir, true, "test", p -> { });
        Map<String, Long> found = findings(o.batchId());
        assertThat(found).as("no finding for the title rows or the column numbers' row").doesNotContainKey("register-missing-key");
        assertThat(found.get("register-no-row")).isEqualTo(1);
        assertThat(found.get("register-no-geometry")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT commune_code || '/' || sheet_no || '/' || parcel_no FROM staging.finding WHERE batch_id = ? AND rule = 'register-no-row'",
                String.class, o.batchId())).isEqualTo(missing.communeCode() + "/" + missing.sheetNo() + "/" + missing.parcelNo());
        assertThat(jdbc.queryForObject("SELECT parcel_no FROM staging.finding WHERE batch_id = ? AND rule = 'register-no-geometry'",
                Integer.class, o.batchId())).isEqualTo(99_999);
        Map<String, Object> row = jdbc.queryForMap("SELECT land_use_raw, owner FROM staging.parcel WHERE batch_id = ? AND commune_code = ? AND sheet_no = ? AND parcel_no = ?",
                o.batchId(), changed.communeCode(), changed.sheetNo(), changed.parcelNo());
        assertThat(row).containsEntry("land_use_raw", "CLN").containsEntry("owner", "Trần Thị Ngọc Ánh");
        GeneratedParcel large = parcels.stream().filter(p -> p != missing && p.legalArea() >= 1000).findFirst().orElseThrow();
        assertThat(jdbc.queryForObject("SELECT legal_area FROM staging.parcel WHERE batch_id = ? AND commune_code = ? AND sheet_no = ? AND parcel_no = ?",
                java.math.BigDecimal.class, o.batchId(), large.communeCode(), large.sheetNo(), large.parcelNo()).doubleValue())
                .isCloseTo(large.legalArea(), org.assertj.core.data.Offset.offset(0.051));
        assertThat(o.status()).isEqualTo("validated");
    }

    @Test
    void misplacedSheetsAreMovedWhereTheyBelongWhenTheManifestSaysSo(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = CadastreGenerator.generate(new CadastreGenerator.Options(38, 6000, "703",
                Map.of(vn.landgis.generator.Defect.WRONG_MERIDIAN, 0.05, vn.landgis.generator.Defect.MISSING_DATUM_SHIFT, 0.05)));
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        Path manifest = Files.writeString(dir.resolve("manifest.json"), "{\"fixPlacement\": true}");
        ImportService.Outcome o = imports.run("703", dir.resolve("district.gpkg"), manifest, true, "test", p -> { }, id -> { });
        Map<String, Long> found = findings(o.batchId());
        List<String> injected = d.defects().stream().filter(x -> x.kind().perSheet()).map(x -> x.communeCode() + "/" + x.sheetNo()).sorted().toList();
        assertThat(injected).isNotEmpty();
        List<String> fixed = jdbc.queryForList("SELECT commune_code || '/' || sheet_no FROM staging.finding WHERE batch_id = ? AND rule = 'placement-fixed' ORDER BY 1",
                String.class, o.batchId());
        assertThat(fixed).isEqualTo(injected);
        assertThat(found).doesNotContainKeys("wrong-meridian", "missing-datum-shift", "misplaced-sheet", "overlap", "gap");
        assertThat(o.status()).isEqualTo("validated");
        // the moved sheets meet their neighbours to the centimetre, not edge to edge: the same slivers either way
        assertThat(found).containsKey("sliver-overlap");
        ImportServiceTest.assertCoverageOfTheStagedParcelsIsTheSqlOne(jdbc, o.batchId(), d.crs().srid());
        assertThat(o.rejected()).isZero();
        // each moved parcel lies where it was before the sheet was drawn wrong, to the centimetre
        int srid = d.crs().srid();
        double worst = 0;
        for (GeneratedParcel p : d.parcels()) {
            if (p.cleanRing() == null || !injected.contains(p.communeCode() + "/" + p.sheetNo())) {
                continue;
            }
            double[] c = centroid(p.cleanRing());
            worst = Math.max(worst, jdbc.queryForObject("""
                    SELECT ST_Distance(ST_Centroid(geom), ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), ?), ST_SRID(geom)))
                    FROM staging.parcel WHERE batch_id = ? AND commune_code = ? AND sheet_no = ? AND parcel_no = ?""", Double.class,
                    c[0], c[1], srid, o.batchId(), p.communeCode(), p.sheetNo(), p.parcelNo()));
        }
        System.out.printf("placement fixed on %d sheets, largest parcel displacement %.3f m%n", fixed.size(), worst);
        assertThat(worst).isLessThan(0.05);
    }

    static double[] centroid(double[] xy) {
        double a = 0;
        double cx = 0;
        double cy = 0;
        double x0 = xy[0];
        double y0 = xy[1];
        for (int i = 0; i + 3 < xy.length; i += 2) {
            double ax = xy[i] - x0;
            double ay = xy[i + 1] - y0;
            double bx = xy[i + 2] - x0;
            double by = xy[i + 3] - y0;
            double cross = ax * by - bx * ay;
            a += cross;
            cx += (ax + bx) * cross;
            cy += (ay + by) * cross;
        }
        return new double[] {x0 + cx / (3 * a), y0 + cy / (3 * a)};
    }

    @Test
    void aZipBombRegisterIsRefused(@TempDir Path dir) throws IOException {
        GeneratorCommand.write(district(55), dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(dir.resolve("register.xlsx")))) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 200; i++) {
                zip.write(spaces);
            }
            zip.closeEntry();
        }
        assertThat(Files.size(dir.resolve("register.xlsx"))).isLessThan(1 << 20);
        assertThatThrownBy(() -> imports.run("703", dir, true, "test", p -> { })).isInstanceOf(IOException.class).hasMessageContaining("zip bomb");
    }
}
