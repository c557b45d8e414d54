package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import vn.landgis.generator.CadastreGenerator;
import vn.landgis.generator.GeneratorCommand;
import vn.landgis.generator.SyntheticDistrict;
import vn.landgis.geo.VietnameseEncoding;
import vn.landgis.platform.UserAccounts;
import vn.landgis.support.Http;

/** The upload face of imports: officers only, hostile archives refused, the job followed to its end. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ImportApiTest {

    @LocalServerPort
    int port;
    @Autowired
    UserAccounts accounts;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void officer() {
        accounts.save("officer.imp", "import-officer-password".toCharArray(), Set.of("LAND_OFFICER"));
        accounts.save("planner.imp", "import-planner-password".toCharArray(), Set.of("PLANNER"));
    }

    HttpResponse<String> upload(String filename, byte[] content, String district, String[] auth) throws Exception {
        return upload(filename, content, district, auth, null);
    }

    HttpResponse<String> upload(String filename, byte[] content, String district, String[] auth, String manifest) throws Exception {
        return upload("/api/imports", filename, content, district, auth, manifest);
    }

    HttpResponse<String> upload(String path, String filename, byte[] content, String district, String[] auth, String manifest) throws Exception {
        String boundary = "----landgis" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (manifest != null && manifest.startsWith("field:")) {   // a form field's text, as curl -F 'manifest={...}' sends it
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"manifest\"\r\n\r\n" + manifest.substring(6) + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        } else if (manifest != null) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"manifest\"; filename=\"manifest.json\"\r\n"
                    + "Content-Type: application/json\r\n\r\n" + manifest + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"district\"\r\n\r\n" + district + "\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"dryRun\"\r\n\r\ntrue\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (auth != null) {
            b.header(auth[0], auth[1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] zip(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** Commune boundaries over HTTP: officers only; a GeoPackage's communes loaded, a file of another district refused (422). */
    @Test
    void officersUploadCommuneBoundaries(@TempDir Path dir) throws Exception {
        org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(dataSource);
        String units = "SELECT code FROM cadastre.admin_unit_legacy WHERE code = '703' OR parent_code = '703'";
        Runnable forget = () -> {
            jdbc.update("UPDATE cadastre.admin_unit SET geom = NULL WHERE code IN (SELECT new_code FROM cadastre.commune_succession WHERE legacy_code IN ("
                    + units + "))");
            jdbc.update("UPDATE cadastre.admin_unit_legacy SET geom = NULL WHERE code IN (" + units + ")");
        };
        SyntheticDistrict d = CadastreGenerator.generate(new CadastreGenerator.Options(63, 300, "703", Map.of()));
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        byte[] gpkg = Files.readAllBytes(dir.resolve("district.gpkg"));
        try {
            assertThat(upload("/api/imports/boundaries", "communes.gpkg", gpkg, "703", null, null).statusCode()).isEqualTo(401);
            assertThat(upload("/api/imports/boundaries", "communes.gpkg", gpkg, "703", Http.basic("planner.imp", "import-planner-password"), null)
                    .statusCode()).isEqualTo(403);
            HttpResponse<String> wrong = upload("/api/imports/boundaries", "communes.gpkg", gpkg, "794", Http.basic("officer.imp", "import-officer-password"), null);
            assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(422);
            assertThat(wrong.body()).contains("boundaries-refused").contains("is no commune of district 794");
            HttpResponse<String> ok = upload("/api/imports/boundaries", "communes.gpkg", gpkg, "703", Http.basic("officer.imp", "import-officer-password"), null);
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(ok.body()).contains("\"communes\"").contains(d.parcels().getFirst().communeCode());
            assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.admin_unit_legacy WHERE parent_code = '703' AND geom IS NOT NULL", Integer.class))
                    .isEqualTo(d.communeGeometries().size());
        } finally {
            forget.run();
        }
    }

    @Autowired
    javax.sql.DataSource dataSource;

    @Test
    void officerUploadsAZippedShapefileAndFollowsTheJob(@TempDir Path dir) throws Exception {
        // a few registered areas off (warnings with a place: the report's map links)
        var d = ImportServiceTest.district(36, 600, Map.of(vn.landgis.generator.Defect.AREA_MISMATCH, 0.02));
        GeneratorCommand.write(d, dir, Set.of("shp"), VietnameseEncoding.TCVN3, null);
        Map<String, byte[]> files = new java.util.TreeMap<>();
        for (String ext : new String[] {"shp", "shx", "dbf", "prj"}) {
            files.put("giao_nop/parcels." + ext, Files.readAllBytes(dir.resolve("parcels." + ext)));
        }
        byte[] archive = zip(files);
        assertThat(upload("giao_nop.zip", archive, "703", null).statusCode()).isEqualTo(401);
        assertThat(upload("giao_nop.zip", archive, "703", Http.basic("planner.imp", "import-planner-password")).statusCode()).isEqualTo(403);

        // a manifest's errors name it as the officer sent it, not as the server's temporary file; a misspelt entry is one
        var bad = upload("giao_nop.zip", archive, "703", Http.basic("officer.imp", "import-officer-password"), "{\"encodng\": \"TCVN3\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("bad-manifest", "manifest.json", "'encodng' → 'encoding'").doesNotContain("landgis-manifest-");
        var badField = upload("giao_nop.zip", archive, "703", Http.basic("officer.imp", "import-officer-password"), "field:{\"srid\": ");
        assertThat(badField.statusCode()).isEqualTo(400);
        assertThat(badField.body()).contains("bad-manifest").doesNotContain("landgis-manifest-");
        // the manifest as a form field's text is read as a file part is (it was ignored)
        var r = upload("giao_nop.zip", archive, "703", Http.basic("officer.imp", "import-officer-password"), "field:{\"encoding\": \"TCVN3\"}");
        assertThat(r.statusCode()).isEqualTo(202);
        String location = r.headers().firstValue("Location").orElseThrow();
        String status = "";
        for (int i = 0; i < 120 && !status.contains("\"validated\""); i++) {
            Thread.sleep(250);
            status = new Http(port).get(location, Http.basic("officer.imp", "import-officer-password")).body();
        }
        assertThat(status).contains("\"status\":\"validated\"", "\"features\":" + d.parcels().size(), "TCVN3: as the manifest says");

        // the report: a workbook with the summary, the findings and the communes; the findings as GeoJSON
        var xlsx = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + location + "/report.xlsx"))
                .header("Authorization", Http.basic("officer.imp", "import-officer-password")[1]).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(xlsx.statusCode()).isEqualTo(200);
        try (var wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook(new java.io.ByteArrayInputStream(xlsx.body()))) {
            assertThat(wb.getNumberOfSheets()).isEqualTo(3);
            assertThat(wb.getSheetAt(0).getRow(3).getCell(1).getStringCellValue()).isEqualTo("validated");
            assertThat(wb.getSheetAt(2).getLastRowNum()).isEqualTo(d.communeGeometries().size());
            // a finding's map link opens the web map there, from Excel too (it was "/?lon=..", relative, which the map ignored)
            int links = 0;
            for (var row : wb.getSheetAt(1)) {
                var cell = row.getCell(9);
                if (row.getRowNum() > 0 && cell != null && !cell.getStringCellValue().isEmpty()) {
                    assertThat(cell.getStringCellValue()).startsWith("http://localhost:" + port + "/#z=19&c=");
                    assertThat(cell.getHyperlink().getAddress()).isEqualTo(cell.getStringCellValue());
                    links++;
                }
            }
            assertThat(links).isPositive();
        }
        var geojson = new Http(port).get(location + "/findings.geojson", Http.basic("officer.imp", "import-officer-password"));
        assertThat(geojson.body()).startsWith("{\"type\" : \"FeatureCollection\"");
        assertThat(new Http(port).get(location + "/report.xlsx").statusCode()).isEqualTo(401);
    }

    @Test
    void officerUploadsZippedFamisSheetsAndTheyAreReadThroughGdal(@TempDir Path dir) throws Exception {
        var d = ImportServiceTest.district(37, 600, Map.of());
        GeneratorCommand.write(d, dir, Set.of("dgn"), VietnameseEncoding.UTF8, null);
        Map<String, byte[]> entries = new java.util.TreeMap<>();
        try (var files = Files.list(dir.resolve("dgn"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".dgn")).toList()) {
                entries.put("to_ban_do/" + f.getFileName(), Files.readAllBytes(f));
            }
        }
        assertThat(entries.size()).isGreaterThan(1);
        String[] officer = Http.basic("officer.imp", "import-officer-password");
        var r = upload("famis.zip", zip(entries), "703", officer);
        assertThat(r.statusCode()).isEqualTo(202);
        String location = r.headers().firstValue("Location").orElseThrow();
        String status = "";
        for (int i = 0; i < 240 && !status.matches(".*\"status\":\"(validated|failed|rejected)\".*"); i++) {
            Thread.sleep(250);
            status = new Http(port).get(location, officer).body();
        }
        assertThat(status).contains("\"status\":\"validated\"", "\"features\":" + d.parcels().size(), "FAMIS lines and labels: " + entries.size());
    }

    @Test
    void hostileArchivesAreRefusedAndWriteNothingOutside(@TempDir Path dir) throws Exception {
        String[] officer = Http.basic("officer.imp", "import-officer-password");
        var slip = upload("evil.zip", zip(Map.of("../../../tmp/landgis-zip-slip.txt", "owned".getBytes())), "703", officer);
        assertThat(slip.statusCode()).isEqualTo(400);
        assertThat(slip.body()).contains("zip slip");
        assertThat(Files.exists(Path.of("/tmp/landgis-zip-slip.txt"))).isFalse();

        // a bomb: small archive, huge content (counted while inflating)
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("parcels.dbf"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 150; i++) {   // 150 MB of zeros: over the test limit of 100 MB
                z.write(zeros);
            }
            z.closeEntry();
        }
        var bomb = upload("bomb.zip", out.toByteArray(), "703", officer);
        assertThat(bomb.statusCode()).isEqualTo(400);
        assertThat(bomb.body()).contains("zip bomb");

        assertThat(upload("not-a-zip.zip", "hello".getBytes(), "703", officer).statusCode()).isEqualTo(400);
        var badManifest = upload("x.zip", zip(Map.of("parcels.shp", new byte[200])), "703", officer, "{\"srid\": 4242}");
        assertThat(badManifest.statusCode()).isEqualTo(400);
        assertThat(badManifest.body()).contains("unsupported srid");
        assertThat(upload("parcels.txt", "hello".getBytes(), "703", officer).statusCode()).isEqualTo(400);
        var emptyShp = upload("empty.zip", zip(Map.of("parcels.shp", new byte[0], "parcels.dbf", new byte[40])), "703", officer);
        assertThat(emptyShp.statusCode()).isEqualTo(400);
        assertThat(emptyShp.body()).contains("empty");
    }
}
