package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import vn.landgis.generator.CadastreGenerator;
import vn.landgis.generator.FamisWriter;
import vn.landgis.generator.GeneratedParcel;
import vn.landgis.generator.SyntheticDistrict;

/** FAMIS lines and labels, written through GDAL and read back, without the database. */
class FamisReaderTest {

    static List<Path> sheets(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().matches(".*\\.(dgn|dxf)$")).sorted().toList();
        }
    }

    static double area(double[] xy) {
        double s = 0;
        for (int i = 0; i + 3 < xy.length; i += 2) {
            s += xy[i] * xy[i + 3] - xy[i + 2] * xy[i + 1];
        }
        return Math.abs(s / 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dgn", "dxf"})
    void aCleanDistrictComesBackAsItsParcels(String format, @TempDir Path dir) throws IOException {
        SyntheticDistrict d = CadastreGenerator.generate(new CadastreGenerator.Options(41, 1500, "703", Map.of()));
        FamisWriter.write(d, dir, format, 0, 0);
        Map<String, double[]> read = new HashMap<>();
        List<DeliveryReader.Finding> findings;
        try (FamisReader r = new FamisReader(sheets(dir))) {
            r.forEach(f -> {
                Map<String, String> a = f.attributes();
                double area = 0;
                for (double[][] p : f.polygons()) {
                    area += area(p[0]);
                    for (int h = 1; h < p.length; h++) {
                        area -= area(p[h]);
                    }
                }
                read.put(a.get("MaXa") + "/" + a.get("SoTo") + "/" + a.get("SoThua") + "/" + a.get("MucDichSD"),
                        new double[] {area, Double.parseDouble(a.get("DienTich"))});
            });
            findings = r.findings();
        }
        Map<String, GeneratedParcel> generated = d.parcels().stream().collect(Collectors.toMap(
                p -> p.communeCode() + "/" + p.sheetNo() + "/" + p.parcelNo() + "/" + p.landUse(), p -> p));
        assertThat(read.keySet()).isEqualTo(generated.keySet());
        // areas: vertices are written to the millimetre, and near-misses within the snap tolerance are closed
        List<String> off = new ArrayList<>();
        double[] worst = {0};
        generated.forEach((k, p) -> {
            double expected = 0;
            for (double[] ring : p.rings()) {
                expected += area(ring);
            }
            double diff = Math.abs(read.get(k)[0] - expected);
            worst[0] = Math.max(worst[0], diff);
            if (diff > ImportService.SLIVER_M2 || Math.abs(read.get(k)[1] - p.legalArea()) > 0.051) {
                off.add(k + " " + read.get(k)[0] + " vs " + expected);
            }
        });
        System.out.printf("%s: %d parcels, largest area difference %.3f m²%n", format, read.size(), worst[0]);
        assertThat(off).isEmpty();
        assertThat(findings).noneMatch(f -> f.rule().equals("famis-dangle") || f.rule().equals("famis-two-labels")
                || f.rule().equals("famis-label-outside"));
    }

    @Test
    void lineGapsAndDoubledLabelsAreFound(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = CadastreGenerator.generate(new CadastreGenerator.Options(42, 1500, "703", Map.of()));
        List<FamisWriter.LineDefect> injected = FamisWriter.write(d, dir, "dgn", 0.01, 0.01);
        assertThat(injected).extracting(FamisWriter.LineDefect::kind).contains("line-gap", "doubled-label");
        List<DeliveryReader.Finding> findings;
        try (FamisReader r = new FamisReader(sheets(dir))) {
            r.forEach(f -> { });
            findings = r.findings();
        }
        Map<String, Long> byRule = findings.stream().collect(Collectors.groupingBy(DeliveryReader.Finding::rule, Collectors.counting()));
        long gaps = injected.stream().filter(x -> x.kind().equals("line-gap")).count();
        assertThat(byRule.get("famis-two-labels")).isEqualTo((long) injected.size());
        // both ends of every gap dangle (a loose end may branch where other boundaries meet it), nowhere else
        assertThat(byRule.get("famis-dangle")).isBetween(2 * gaps, 3 * gaps);
        var gapSheets = injected.stream().filter(x -> x.kind().equals("line-gap")).map(x -> x.communeCode() + "/" + x.sheetNo()).collect(Collectors.toSet());
        assertThat(findings).filteredOn(f -> f.rule().equals("famis-dangle")).allMatch(f -> gapSheets.contains(f.commune() + "/" + f.sheet()));
        // each two-label polygon names the parcel of its defect
        for (FamisWriter.LineDefect x : injected) {
            assertThat(findings).as(x.toString()).anyMatch(f -> f.rule().equals("famis-two-labels") && f.commune().equals(x.communeCode())
                    && f.sheet() == x.sheetNo() && f.messageEn().contains(Integer.toString(x.parcelNo())));
        }
    }

    @Test
    void sheetsAreNamedAsDistrictsNameThem(@TempDir Path root) {
        CommuneText communes = new CommuneText(Map.of("25456", "Xã Tân Bình", "25459", "Phường 1", "25460", "Phường 12", "25462", "Thị trấn Tân Châu"));
        record Case(String path, String commune, Integer sheet) {
        }
        for (Case c : List.of(
                new Case("25456_12.dgn", "25456", 12),                  // the code first, as before
                new Case("25456-To03.dxf", "25456", 3),
                new Case("Xã Tân Bình/Tờ 12.dgn", "25456", 12),         // the commune's folder, by name
                new Case("XA TAN BINH/To_05.dgn", "25456", 5),
                new Case("25459/TBD 7.dgn", "25459", 7),                // by code
                new Case("Giao nop 2024/Phuong 1/ToBanDo_45.dgn", "25459", 45),   // the nearest folder
                new Case("TanBinh_To12.dxf", "25456", 12),             // the commune in the file's name
                new Case("Phuong 1 - To 3.dgn", "25459", 3),
                new Case("TT Tan Chau_T8.dgn", "25462", 8),
                new Case("25459 - Phường 1/Tờ 3.dgn", "25459", 3),        // a folder named with code and name
                new Case("01. Xã Tân Bình/Tờ 4.dgn", "25456", 4),          // a folder's ordinal
                new Case("Tân Bình (25456)/To 2.dgn", "25456", 2),
                new Case("Phuong 12.dgn", "25460", null),               // a commune's name, no sheet
                new Case("2024/DC 7.dgn", null, 7),                     // a year's folder names no commune
                new Case("12.dgn", null, 12),
                new Case("Tờ 12 - BĐ 2024.dgn", null, 12),               // the map's year is no sheet
                new Case("BanDo_2024.dgn", null, null),
                new Case("DC 7.dgn", null, 7),
                new Case("ban ve.dgn", null, null))) {
            FamisReader.SheetId id = FamisReader.sheetOf(root, root.resolve(c.path()), communes);
            assertThat(id).as(c.path()).isEqualTo(new FamisReader.SheetId(c.commune(), c.sheet()));
        }
    }

    /** Two 10 m parcels on level 10, their labels on level 13; a house inside the first (level 21), a house number in the second (level 50). */
    private static Path sheetWithLevels(Path dir, String name) throws IOException {
        double x = 580000;
        double y = 1250000;
        String square = "[[%1$.3f,%2$.3f],[%3$.3f,%2$.3f],[%3$.3f,%4$.3f],[%1$.3f,%4$.3f],[%1$.3f,%2$.3f]]";
        StringBuilder g = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        java.util.function.BiConsumer<Integer, String> line = (level, coords) -> g.append("{\"type\":\"Feature\",\"properties\":{\"Level\":").append(level)
                .append("},\"geometry\":{\"type\":\"LineString\",\"coordinates\":").append(coords).append("}},");
        line.accept(10, String.format(java.util.Locale.ROOT, square, x, y, x + 20, y + 10));
        line.accept(10, String.format(java.util.Locale.ROOT, "[[%.3f,%.3f],[%.3f,%.3f]]", x + 10, y, x + 10, y + 10));
        line.accept(21, String.format(java.util.Locale.ROOT, square, x + 2, y + 2, x + 4, y + 4));
        java.util.function.BiConsumer<Integer, double[]> text = (level, at) -> g.append("{\"type\":\"Feature\",\"properties\":{\"Level\":").append(level)
                .append(",\"OGR_STYLE\":\"LABEL(f:\\\"Arial\\\",t:\\\"").append(at.length > 2 ? "5" : (at[0] < x + 10 ? "1 ODT 100.0" : "2 CLN 100.0"))
                .append("\\\",s:1g)\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[").append(at[0]).append(',').append(at[1]).append("]}},");
        text.accept(13, new double[] {x + 7, y + 7});
        text.accept(13, new double[] {x + 15, y + 5});
        text.accept(50, new double[] {x + 17, y + 8, 0});
        g.setLength(g.length() - 1);
        g.append("]}");
        Path in = dir.resolve(name + ".geojson");
        Files.writeString(in, g);
        Path out = dir.resolve(name + ".dgn");
        vn.landgis.geo.Ogr2Ogr.convert("DGN", out, in, List.of("-dsco", "UOR_PER_SUB_UNIT=1000", "-dsco", "SUB_UNITS_PER_MASTER_UNIT=1", "-dsco", "ORIGIN=0,0,0"),
                vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        Files.delete(in);
        return out;
    }

    private static Map<String, Double> read(FamisReader r) throws IOException {
        Map<String, Double> areas = new java.util.TreeMap<>();
        r.forEach(f -> {
            double[][] p = f.polygons().getFirst();
            double a = area(p[0]);
            for (int h = 1; h < p.length; h++) {
                a -= area(p[h]);
            }
            areas.put(f.attributes().get("MaXa") + "/" + f.attributes().get("SoTo") + "/" + f.attributes().get("SoThua"), Math.round(a * 1000) / 1000.0);
        });
        return areas;
    }

    @Test
    void theManifestsLevelsKeepHousesAndHouseNumbersOutOfTheParcels(@TempDir Path dir) throws IOException {
        Path commune = Files.createDirectories(dir.resolve("Xã Tân Bình"));
        Path sheet = sheetWithLevels(commune, "Tờ 4");
        CommuneText communes = new CommuneText(Map.of("25456", "Xã Tân Bình"));
        // every level: the house cuts a hole in parcel 1 and is a polygon without a label; the house number makes parcel 2 two labels
        try (FamisReader r = new FamisReader(dir, List.of(sheet), communes, Manifest.NONE)) {
            assertThat(read(r)).isEqualTo(Map.of("25456/4/1", 96.0, "25456/4/2", 100.0));
            assertThat(r.findings()).extracting(DeliveryReader.Finding::rule)
                    .containsExactlyInAnyOrder("famis-no-label", "famis-two-labels", "famis-levels");
            DeliveryReader.Finding levels = r.findings().stream().filter(f -> f.rule().equals("famis-levels")).findFirst().orElseThrow();
            assertThat(levels.severity()).isEqualTo("info");
            assertThat(levels.messageEn()).contains("4 levels", "10: 2 lines, 0 texts", "21: 1 line, 0 texts", "13: 0 lines, 2 texts", "50: 0 lines, 1 text",
                    "Every level was read", "boundaryLevels");
        }
        Path json = dir.resolve("manifest.json");
        Files.writeString(json, "{\"boundaryLevels\": [10], \"labelLevels\": \"13\"}");
        Manifest manifest = Manifest.read(json);
        try (FamisReader r = new FamisReader(dir, List.of(sheet), communes, manifest)) {
            assertThat(read(r)).isEqualTo(Map.of("25456/4/1", 100.0, "25456/4/2", 100.0));
            assertThat(r.findings()).extracting(DeliveryReader.Finding::rule).containsExactly("famis-levels");
            assertThat(r.findings().getFirst().messageEn()).contains("21: 1 line, 0 texts (not read)", "50: 0 lines, 1 text (not read)",
                    "Only the manifest's levels were read");
        }
        // levels that hold nothing: said, not silently an empty delivery
        Files.writeString(json, "{\"boundaryLevels\": [\"RANHTHUA\"], \"labelLevels\": [\"NHANTHUA\"]}");
        try (FamisReader r = new FamisReader(dir, List.of(sheet), communes, Manifest.read(json))) {
            assertThat(read(r)).isEmpty();
            assertThat(r.findings()).filteredOn(f -> f.rule().equals("famis-levels")).singleElement()
                    .satisfies(f -> assertThat(f.severity()).isEqualTo("warning"));
        }
        Files.writeString(json, "{\"boundaryLevels\": [64]}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Manifest.read(json)).hasMessageContaining("boundaryLevels");
    }

    @Test
    void labelsAreReadAsSurveyorsWriteThem() {
        org.locationtech.jts.geom.Point at = new org.locationtech.jts.geom.GeometryFactory().createPoint(new org.locationtech.jts.geom.Coordinate(0, 0));
        record Case(String text, Integer number, String code, String area) {
        }
        for (Case c : List.of(
                new Case("123\\PODT\\P245.6", 123, "ODT", "245.6"),            // one text, MicroStation's paragraph breaks
                new Case("10/200.7\nODT", 10, "ODT", "200.7"),               // FAMIS's fraction: the number over the area
                new Case("10 / 200,7 CLN", 10, "CLN", "200,7"),
                new Case("15/320\nODT", 15, "ODT", "320"),                   // an integer area
                new Case("12\nODT\n245,6 m²", 12, "ODT", "245,6"),          // the unit after the area
                new Case("245.6 m2", null, null, "245.6"),                  // parts written as texts of their own
                new Case("1.234,5", null, null, "1.234,5"),                 // Vietnamese notation, read by the import
                new Case("ODT 245.6", null, "ODT", "245.6"),                // code and area together, the number apart
                new Case("245,6 ONT+CLN", null, "ONT+CLN", "245,6"),
                new Case("7", 7, null, null),
                new Case("odt", null, "ODT", null))) {
            assertThat(FamisReader.parse(c.text(), at)).as(c.text()).singleElement()
                    .isEqualTo(new FamisReader.Label(c.number(), c.code(), c.area(), at));
        }
        // street names and dates are no labels ("Đường 30/4": a road's name, not parcel 30 of 4 m²)
        for (String text : List.of("Đường 30/4", "30/4", "19/12", "Khu phố 3", "Nguyễn Trãi", "Ấp 2 xã Bình Minh", "ĐT 824", "QL 22", "KP 3")) {
            assertThat(FamisReader.parse(text, at)).as(text).isEmpty();
        }
    }

    @Test
    void aPolygonWithoutALabelQuotesTheTextsInsideItThatReadAsNone(@TempDir Path dir) throws IOException {
        var gf = new org.locationtech.jts.geom.GeometryFactory();
        var square = gf.createLineString(new org.locationtech.jts.geom.Coordinate[] {new org.locationtech.jts.geom.Coordinate(0, 0),
                new org.locationtech.jts.geom.Coordinate(20, 0), new org.locationtech.jts.geom.Coordinate(20, 20),
                new org.locationtech.jts.geom.Coordinate(0, 20), new org.locationtech.jts.geom.Coordinate(0, 0)});
        var inside = gf.createPoint(new org.locationtech.jts.geom.Coordinate(10, 10));
        try (FamisReader r = new FamisReader(List.of(Files.writeString(dir.resolve("25456_1.dxf"), "")))) {
            var sheet = r.build(List.of(square), List.of(), List.of(new FamisReader.Unread("10-200.7 ODT", inside)), "25456", 1);
            assertThat(sheet.parcels()).isEmpty();
            assertThat(sheet.findings()).singleElement().satisfies(f -> {
                assertThat(f.rule()).isEqualTo("famis-no-label");
                assertThat(f.messageVi()).contains("400,0 m²", "'10-200.7 ODT'");
                assertThat(f.messageEn()).contains("400.0 m²", "holds text that reads as no parcel label", "'10-200.7 ODT'");
            });
        }
    }

    @Test
    void aSheetDeliveredTwiceIsReadOnceAndSaidSo(@TempDir Path dir) throws IOException {
        Path a = sheetWithLevels(Files.createDirectories(dir.resolve("Xã Tân Bình")), "Tờ 4");
        Path b = Files.copy(a, dir.resolve("25456_4.dgn"));
        CommuneText communes = new CommuneText(Map.of("25456", "Xã Tân Bình"));
        try (FamisReader r = new FamisReader(dir, List.of(a, b), communes, Manifest.NONE)) {
            assertThat(read(r)).hasSize(2);   // one sheet's two parcels, not four
            assertThat(r.findings()).filteredOn(f -> f.rule().equals("famis-sheet-twice")).singleElement().satisfies(f -> {
                assertThat(f.severity()).isEqualTo("error");
                assertThat(f.messageEn()).contains("sheet 4 of commune 25456 is delivered twice: 25456_4.dgn and Xã Tân Bình/Tờ 4.dgn");
            });
        }
    }

    /**
     * A Vietnamese AutoCAD drawing says its texts are in windows-1258 ($DWGCODEPAGE ANSI_1258): its layer names and
     * labels read whole (GDAL 3.6's recoding dropped the last letter of each: "Ranh thửa" → "Ranh thử", "ODT" → "OD").
     */
    @Test
    void aDxfInWindows1258ReadsItsLayersAndLabelsWhole(@TempDir Path dir) throws IOException {
        Path in = Files.writeString(dir.resolve("sheet.geojson"), """
                {"type":"FeatureCollection","features":[
                {"type":"Feature","properties":{"Layer":"LAYERA"},"geometry":{"type":"LineString","coordinates":[[580000,1250000],[580020,1250000],[580020,1250010],[580000,1250010],[580000,1250000]]}},
                {"type":"Feature","properties":{"Layer":"LAYERA"},"geometry":{"type":"LineString","coordinates":[[580010,1250000],[580010,1250010]]}},
                {"type":"Feature","properties":{"Layer":"LAYERB","OGR_STYLE":"LABEL(f:\\"Arial\\",t:\\"1 ODT 100.0\\")"},"geometry":{"type":"Point","coordinates":[580005,1250005]}},
                {"type":"Feature","properties":{"Layer":"LAYERB","OGR_STYLE":"LABEL(f:\\"Arial\\",t:\\"2 CLN 100.0\\")"},"geometry":{"type":"Point","coordinates":[580015,1250005]}}
                ]}""");
        Path dxf = dir.resolve("25456_4.dxf");
        vn.landgis.geo.Ogr2Ogr.convert("DXF", dxf, in, List.of(), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        // as AutoCAD on a Vietnamese system writes it: the code page in the header, the names in its bytes
        String latin = new String(Files.readAllBytes(dxf), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("ANSI_1252", "ANSI_1258")
                .replace("LAYERA", new String(vn.landgis.geo.VietnameseEncoding.WINDOWS_1258.encode("Ranh thửa"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .replace("LAYERB", new String(vn.landgis.geo.VietnameseEncoding.WINDOWS_1258.encode("Nhãn thửa"), java.nio.charset.StandardCharsets.ISO_8859_1));
        Files.write(dxf, latin.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(FamisReader.dxfCodePage1258(dxf)).isTrue();
        Path json = Files.writeString(dir.resolve("manifest.json"), "{\"boundaryLevels\": [\"Ranh thửa\"], \"labelLevels\": [\"NHÃN THỬA\"]}");
        Map<String, String> codes = new java.util.TreeMap<>();
        try (FamisReader r = new FamisReader(null, List.of(dxf), new CommuneText(Map.of()), Manifest.read(json))) {
            r.forEach(f -> codes.put(f.attributes().get("SoThua"), f.attributes().get("MucDichSD")));
            assertThat(codes).isEqualTo(Map.of("1", "ODT", "2", "CLN"));
            assertThat(r.findings()).singleElement().satisfies(f -> assertThat(f.messageEn()).contains("Ranh thửa: 2 lines", "Nhãn thửa: 0 lines, 2 texts"));
        }
        // AutoCAD 2007 and later ($ACADVER AC1021 on) write UTF-8 whatever code page they name
        String utf8 = new String(Files.readAllBytes(dxf), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace(new String(vn.landgis.geo.VietnameseEncoding.WINDOWS_1258.encode("Ranh thửa"), java.nio.charset.StandardCharsets.ISO_8859_1),
                        new String("Ranh thửa".getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1))
                .replace(new String(vn.landgis.geo.VietnameseEncoding.WINDOWS_1258.encode("Nhãn thửa"), java.nio.charset.StandardCharsets.ISO_8859_1),
                        new String("Nhãn thửa".getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1))
                .replaceFirst("AC10[0-9][0-9]", "AC1024");
        Path dxf2007 = dir.resolve("25456_5.dxf");
        Files.write(dxf2007, utf8.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(FamisReader.dxfUtf8(dxf2007)).isTrue();
        codes.clear();
        try (FamisReader r = new FamisReader(null, List.of(dxf2007), new CommuneText(Map.of()), Manifest.read(json))) {
            r.forEach(f -> codes.put(f.attributes().get("SoThua"), f.attributes().get("MucDichSD")));
            assertThat(codes).isEqualTo(Map.of("1", "ODT", "2", "CLN"));
        }
    }
}
