package vn.landgis.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

import vn.landgis.geo.ReferenceCsv;
import vn.landgis.geo.VietnameseEncoding;

class CadastreGeneratorTest {

    private static final GeometryFactory GF = new GeometryFactory();

    static SyntheticDistrict generate(long seed, int parcels, Map<Defect, Double> defects) {
        return CadastreGenerator.generate(new CadastreGenerator.Options(seed, parcels, "794", defects));
    }

    @Test
    void sameSeedGivesTheSameBytesOfGeoJson(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path c = dir.resolve("c");
        GeneratorCommand.write(generate(11, 3000, Map.of(Defect.OVERLAP, 0.01)), a, Set.of("geojson"), VietnameseEncoding.UTF8, Cpg.TRUTH);
        GeneratorCommand.write(generate(11, 3000, Map.of(Defect.OVERLAP, 0.01)), b, Set.of("geojson"), VietnameseEncoding.UTF8, Cpg.TRUTH);
        GeneratorCommand.write(generate(12, 3000, Map.of(Defect.OVERLAP, 0.01)), c, Set.of("geojson"), VietnameseEncoding.UTF8, Cpg.TRUTH);
        for (String f : new String[] {"parcels.geojson", "communes.geojson", "map_sheets.geojson", "planning_zones.geojson", "defects.csv"}) {
            assertThat(Files.readAllBytes(a.resolve(f))).as(f).isEqualTo(Files.readAllBytes(b.resolve(f)));
        }
        assertThat(Files.readAllBytes(a.resolve("parcels.geojson"))).isNotEqualTo(Files.readAllBytes(c.resolve("parcels.geojson")));
    }

    @Test
    void cleanDistrictIsAValidCoverageOfRealisticParcels() {
        SyntheticDistrict d = generate(3, 6000, Map.of());
        assertThat(d.parcels().size()).isBetween(5400, 6600);
        Geometry[] polygons = d.parcels().stream().map(p -> d.polygon(p.rings[0])).toArray(Geometry[]::new);
        for (Geometry g : polygons) {
            assertThat(g.isValid()).isTrue();
        }
        // no overlaps, no gaps narrower than 1 m, fully noded shared edges
        Geometry[] invalid = CoverageValidator.validate(polygons, 1.0);
        assertThat(java.util.Arrays.stream(invalid).filter(java.util.Objects::nonNull).count()).isZero();
        Geometry union = org.locationtech.jts.operation.overlayng.CoverageUnion.union(GF.buildGeometry(java.util.List.of(polygons)));
        double sum = java.util.Arrays.stream(polygons).mapToDouble(Geometry::getArea).sum();
        assertThat(Math.abs(union.getArea() - sum)).isLessThan(0.01);

        // parcel sizes and uses of a delta town and its fields
        double[] areas = d.parcels().stream().filter(p -> !p.linear).mapToDouble(GeneratedParcel::geomArea).sorted().toArray();
        assertThat(areas[0]).isBetween(20.0, 80.0);
        assertThat(areas[areas.length - 1]).isBetween(10_000.0, 80_000.0);
        Map<String, Long> uses = d.parcels().stream().collect(Collectors.groupingBy(GeneratedParcel::landUse, Collectors.counting()));
        assertThat(uses.keySet()).contains("ODT", "ONT", "LUC", "CLN", "DGT", "DTL", "NTS");
        Set<String> known = ReferenceCsv.read("land_use_types.csv").stream().map(r -> r[0]).collect(Collectors.toSet());
        assertThat(known).containsAll(uses.keySet());

        // keys: unique (commune, sheet, number), numbered from 1 without holes on every sheet
        Set<String> keys = new HashSet<>();
        d.parcels().forEach(p -> assertThat(keys.add(p.communeCode + "/" + p.sheetNo + "/" + p.parcelNo)).isTrue());
        Map<String, Integer> maxNo = new java.util.HashMap<>();
        Map<String, Integer> count = new java.util.HashMap<>();
        d.parcels().forEach(p -> {
            maxNo.merge(p.communeCode + "/" + p.sheetNo, p.parcelNo, Math::max);
            count.merge(p.communeCode + "/" + p.sheetNo, 1, Integer::sum);
        });
        assertThat(maxNo).isEqualTo(count);
        assertThat(d.sheets()).hasSize(count.size());

        // registered areas differ from the map area, but within the national tolerance
        long differing = d.parcels().stream().filter(p -> Math.abs(p.legalArea - p.geomArea) >= 0.05).count();
        assertThat(differing).isGreaterThan(d.parcels().size() / 2);
        d.parcels().forEach(p -> assertThat(Math.abs(p.legalArea - p.geomArea))
                .isLessThanOrEqualTo(Cadastralizer.areaTolerance(p.scale, p.geomArea) + 0.05));

        // every parcel lies in its commune, every sheet holds the label points of its parcels
        d.parcels().stream().limit(500).forEach(p -> assertThat(d.communeGeometries().get(p.communeCode)
                .covers(GF.createPoint(new org.locationtech.jts.geom.Coordinate(p.labelX, p.labelY)))).isTrue());
        assertThat(d.planningZones()).isNotEmpty();
    }

    @Test
    void sheetNamesFollowTheNationalGrid() {
        assertThat(Cadastralizer.gridRef(2000, new double[] {570000, 1165000, 571000, 1166000})).isEqualTo("167-570-4");
        assertThat(Cadastralizer.gridRef(1000, new double[] {570500, 1165500, 571000, 1166000})).isEqualTo("167-570-4-(b)");
        assertThat(Cadastralizer.gridRef(500, new double[] {570000, 1165000, 570250, 1165250})).isEqualTo("167-570-4-(13)");
    }
}
