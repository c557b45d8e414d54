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
}
