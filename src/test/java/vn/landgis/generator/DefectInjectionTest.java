package vn.landgis.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

import vn.landgis.geo.ReferenceCsv;

/** Each defect kind is really present, at the asked rate, and nowhere else. */
class DefectInjectionTest {

    private static final double RATE = 0.01;
    private static SyntheticDistrict district;
    private static Map<Defect, List<SyntheticDistrict.InjectedDefect>> injected;

    @BeforeAll
    static void generate() {
        Map<Defect, Double> rates = new EnumMap<>(Defect.class);
        for (Defect d : Defect.values()) {
            rates.put(d, d.perSheet() ? 0.02 : RATE);
        }
        district = CadastreGeneratorTest.generate(21, 5000, rates);
        injected = district.defects().stream().collect(Collectors.groupingBy(SyntheticDistrict.InjectedDefect::kind));
    }

    private static String key(String commune, int sheet, int parcel) {
        return commune + "/" + sheet + "/" + parcel;
    }

    @ParameterizedTest
    @EnumSource(Defect.class)
    void eachKindIsInjectedAtTheAskedRate(Defect kind) {
        int expected = kind.perSheet() ? Math.max(1, (int) Math.round(0.02 * district.sheets().size()))
                : (int) Math.round(RATE * district.parcels().size());
        assertThat(injected.get(kind)).hasSize(expected);
    }

    @Test
    void overlapsAndGapsAreRealAndOnlyWhereInjected() {
        // a sheet moved by a CRS defect takes its parcels away from their neighbours: count the others
        List<GeneratedParcel> lots = district.parcels().stream()
                .filter(p -> (p.defect == Defect.OVERLAP || p.defect == Defect.GAP) && p.sheetDefect == null).toList();
        STRtree index = new STRtree();
        for (GeneratedParcel p : district.parcels()) {
            if (p.sheetDefect == null) {
                // ring defects are other tests' business: their neighbours see the parcel as it was meant
                boolean ringDefect = p.defect == Defect.UNCLOSED_RING || p.defect == Defect.SELF_INTERSECTION;
                index.insert(district.polygon(ringDefect ? p.cleanRing : p.rings[0]).getEnvelopeInternal(),
                        new Object[] {p, district.polygon(ringDefect ? p.cleanRing : p.rings[0])});
            }
        }
        int overlaps = 0;
        int gaps = 0;
        for (GeneratedParcel p : lots) {
            Geometry now = district.polygon(p.rings[0]);
            Geometry clean = district.polygon(p.cleanRing);
            double overlapArea = 0;
            Geometry others = null;
            for (Object o : index.query(clean.buffer(3).getEnvelopeInternal())) {
                Object[] pair = (Object[]) o;
                if (pair[0] == p) {
                    continue;
                }
                Geometry g = (Geometry) pair[1];
                overlapArea += OverlayNGRobust.overlay(now, g, OverlayNG.INTERSECTION).getArea();
                others = others == null ? g : OverlayNGRobust.overlay(others, g, OverlayNG.UNION);
            }
            Geometry uncovered = OverlayNGRobust.overlay(clean, now, OverlayNG.DIFFERENCE);
            double gapArea = others == null ? uncovered.getArea() : OverlayNGRobust.overlay(uncovered, others, OverlayNG.DIFFERENCE).getArea();
            if (p.defect == Defect.OVERLAP && overlapArea > 0.3) {
                overlaps++;
            }
            if (p.defect == Defect.GAP && gapArea > 0.3) {
                gaps++;
            }
        }
        assertThat(overlaps).isEqualTo(lots.stream().filter(p -> p.defect == Defect.OVERLAP).count()).isGreaterThan(20);
        assertThat(gaps).isEqualTo(lots.stream().filter(p -> p.defect == Defect.GAP).count()).isGreaterThan(20);

        // and no overlap anywhere else: every overlapping pair holds a parcel pushed on purpose
        for (Object o : index.itemsTree()) {
            collectPairs(o, index);
        }
    }

    @SuppressWarnings("unchecked")
    private static void collectPairs(Object node, STRtree index) {
        if (node instanceof List<?> list) {
            list.forEach(n -> collectPairs(n, index));
            return;
        }
        Object[] pair = (Object[]) node;
        GeneratedParcel p = (GeneratedParcel) pair[0];
        Geometry g = (Geometry) pair[1];
        for (Object o : index.query(g.getEnvelopeInternal())) {
            Object[] other = (Object[]) o;
            GeneratedParcel q = (GeneratedParcel) other[0];
            if (q == p || p.defect == Defect.OVERLAP || q.defect == Defect.OVERLAP) {
                continue;
            }
            assertThat(OverlayNGRobust.overlay(g, (Geometry) other[1], OverlayNG.INTERSECTION).getArea())
                    .as("overlap of %s/%d/%d (%s) and %s/%d/%d (%s)", p.communeCode, p.sheetNo, p.parcelNo, p.defect, q.communeCode, q.sheetNo, q.parcelNo, q.defect)
                    .isLessThan(0.01);
        }
    }

    @Test
    void selfIntersectionsUnclosedAndDuplicateRingsAreWhatTheySay() {
        for (GeneratedParcel p : district.parcels().stream().filter(p -> p.defect == Defect.SELF_INTERSECTION).toList()) {
            TopologyValidationError error = new IsValidOp(district.polygon(p.rings[0])).getValidationError();
            assertThat(error).isNotNull();
            assertThat(error.getErrorType()).isIn(TopologyValidationError.SELF_INTERSECTION, TopologyValidationError.RING_SELF_INTERSECTION);
        }
        long unclosed = district.parcels().stream().filter(p -> !isClosed(p.rings[0])).count();
        assertThat(unclosed).isEqualTo(injected.get(Defect.UNCLOSED_RING).size());
        long doubled = district.parcels().stream().filter(p -> p.rings.length == 2 && Arrays.equals(p.rings[0], p.rings[1])).count();
        assertThat(doubled).isEqualTo(injected.get(Defect.DUPLICATE_RING).size());
        long invalidElsewhere = district.parcels().stream()
                .filter(p -> p.rings.length == 1 && isClosed(p.rings[0]) && !district.polygon(p.rings[0]).isValid()).count();
        assertThat(invalidElsewhere).isEqualTo(injected.get(Defect.SELF_INTERSECTION).size());
    }

    @Test
    void attributeDefectsAreCountable() {
        Map<String, Long> keys = district.parcels().stream()
                .collect(Collectors.groupingBy(p -> key(p.communeCode, p.sheetNo, p.parcelNo), Collectors.counting()));
        long duplicates = keys.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
        assertThat(duplicates).isEqualTo(injected.get(Defect.DUPLICATE_NUMBER).size());

        Set<String> known = ReferenceCsv.read("land_use_types.csv").stream().map(r -> r[0]).collect(Collectors.toSet());
        ReferenceCsv.read("legacy_land_use_codes.csv").forEach(r -> known.add(r[0]));
        long unknown = district.parcels().stream().filter(p -> !known.contains(p.landUse)).count();
        assertThat(unknown).isEqualTo(injected.get(Defect.UNKNOWN_LAND_USE).size());

        long mismatched = district.parcels().stream()
                .filter(p -> Math.abs(p.legalArea - p.geomArea) > Cadastralizer.areaTolerance(p.scale, p.geomArea) + 0.05).count();
        assertThat(mismatched).isEqualTo(injected.get(Defect.AREA_MISMATCH).size());
    }

    @Test
    void shiftedSheetsLandTensOfKilometresOrHundredsOfMetresAway() {
        for (Defect kind : List.of(Defect.WRONG_MERIDIAN, Defect.MISSING_DATUM_SHIFT)) {
            for (var d : injected.get(kind)) {
                for (GeneratedParcel p : district.parcels()) {
                    if (p.communeCode.equals(d.communeCode()) && p.sheetNo == d.sheetNo()) {
                        double shift = Math.hypot(p.rings[0][0] - p.cleanRing[0], p.rings[0][1] - p.cleanRing[1]);
                        if (kind == Defect.WRONG_MERIDIAN) {
                            assertThat(shift).isBetween(20_000.0, 40_000.0);
                        } else {
                            assertThat(shift).isBetween(150.0, 400.0);
                        }
                    }
                }
            }
        }
    }

    private static boolean isClosed(double[] ring) {
        return ring[0] == ring[ring.length - 2] && ring[1] == ring[ring.length - 1];
    }
}
