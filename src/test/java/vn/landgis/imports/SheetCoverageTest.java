package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;

/**
 * The edge-matching proof of a clean sheet ({@link SheetCoverage.EdgeMatch}) against the validator path: on every
 * case the overlaps (pairs, areas, points), the gaps and the sheet's union agree, and the proof is taken exactly
 * where there is nothing to find. The cases are data: WKT in, whether the proof holds and how many overlaps out.
 */
class SheetCoverageTest {

    private static final GeometryFactory FACTORY = new GeometryFactory();

    static Stream<Arguments> cases() {
        return Stream.of(
                // name, proved by the edges, overlaps the validator path reports, parcels
                Arguments.of("a 3×3 grid", true, 0, grid(3, 3, false)),
                Arguments.of("a 3×3 grid, rings of both orientations", true, 0, grid(3, 3, true)),
                Arguments.of("one parcel", true, 0, List.of("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))")),
                Arguments.of("parcels tiling a region inside another parcel", false, 0, List.of(
                        "POLYGON ((0 0, 30 0, 30 30, 0 30, 0 0))",
                        "POLYGON ((10 10, 20 10, 20 15, 10 15, 10 10))",
                        "POLYGON ((10 15, 20 15, 20 20, 10 20, 10 15))")),
                Arguments.of("parcels tiling a region inside another parcel, on its edge", false, 0, List.of(
                        "POLYGON ((0 0, 30 0, 30 30, 0 30, 0 0))",
                        "POLYGON ((0 10, 20 10, 20 15, 0 15, 0 10))",
                        "POLYGON ((0 15, 20 15, 20 20, 0 20, 0 15))")),
                Arguments.of("a tiling half inside another parcel", false, 2, List.of(
                        "POLYGON ((0 0, 30 0, 30 30, 0 30, 0 0))",
                        "POLYGON ((20 10, 40 10, 40 15, 20 15, 20 10))",
                        "POLYGON ((20 15, 40 15, 40 20, 20 20, 20 15))")),
                Arguments.of("an exact duplicate parcel", false, 0, List.of(
                        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))",
                        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))",
                        "POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))")),
                Arguments.of("a duplicate with its ring the other way", false, 0, List.of(
                        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))",
                        "POLYGON ((0 0, 0 10, 10 10, 10 0, 0 0))")),
                Arguments.of("a T-junction, no overlap", false, 0, List.of(
                        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))",
                        "POLYGON ((10 0, 20 0, 20 5, 10 5, 10 0))",
                        "POLYGON ((10 5, 20 5, 20 10, 10 10, 10 5))")),
                Arguments.of("a vertex moved along a shared edge", false, 0, List.of(
                        "POLYGON ((0 0, 10 0, 10 4, 10 10, 0 10, 0 0))",
                        "POLYGON ((10 0, 20 0, 20 10, 10 10, 10 6, 10 0))")),
                Arguments.of("a sliver overlap of 0.1 m²", false, 1, List.of(
                        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))",
                        "POLYGON ((10 0, 20 0, 20 10, 10 10, 9.98 5, 10 0))")),
                Arguments.of("a sliver below the 0.01 m² reported", false, 0, List.of(
                        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))",
                        "POLYGON ((10 0, 20 0, 20 10, 10 10, 9.999 5, 10 0))")),
                Arguments.of("a sliver with the vertex on both sides", false, 1, List.of(
                        "POLYGON ((0 0, 10 0, 10.02 5, 10 10, 0 10, 0 0))",
                        "POLYGON ((10 0, 20 0, 20 10, 10 10, 9.98 5, 10 0))")),
                Arguments.of("an overlap", false, 1, List.of(
                        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))",
                        "POLYGON ((5 0, 15 0, 15 10, 5 10, 5 0))")),
                Arguments.of("a gap", true, 0, List.of(
                        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))",
                        "POLYGON ((10.5 0, 20 0, 20 10, 10.5 10, 10.5 0))",
                        "POLYGON ((0 10, 10 10, 10.5 10, 20 10, 20 20, 0 20, 0 10))",
                        "POLYGON ((0 -10, 20 -10, 20 0, 10.5 0, 10 0, 0 0, 0 -10))")),
                Arguments.of("a gap under a parcel that does not have its vertices (a T-junction)", false, 0, List.of(
                        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))",
                        "POLYGON ((10.5 0, 20 0, 20 10, 10.5 10, 10.5 0))",
                        "POLYGON ((0 10, 20 10, 20 20, 0 20, 0 10))")),
                Arguments.of("a hole in the sheet (a gap enclosed by parcels)", true, 0, without(grid(3, 3, false), 4)),
                Arguments.of("a gap meeting the sheet's outline at a vertex", true, 0, List.of(
                        "POLYGON ((0 0, 15 0, 15 20, 10 20, 15 30, 0 30, 0 0))",
                        "POLYGON ((15 0, 30 0, 30 30, 15 30, 20 20, 15 20, 15 0))")),
                Arguments.of("a gap meeting the outline at a vertex, at the sheet's top", true, 0, List.of(
                        "POLYGON ((0 0, 15 0, 15 20, 10 20, 15 40, 0 30, 0 0))",
                        "POLYGON ((15 0, 30 0, 30 30, 15 40, 20 20, 15 20, 15 0))")),
                Arguments.of("a parcel with a hole and an island parcel filling it", true, 0, List.of(
                        "POLYGON ((0 0, 30 0, 30 30, 0 30, 0 0), (10 10, 20 10, 20 20, 10 20, 10 10))",
                        "POLYGON ((10 10, 20 10, 20 20, 10 20, 10 10))")),
                Arguments.of("a parcel with a hole and a smaller island parcel", true, 0, List.of(
                        "POLYGON ((0 0, 30 0, 30 30, 0 30, 0 0), (10 10, 20 10, 20 20, 10 20, 10 10))",
                        "POLYGON ((12 12, 18 12, 18 18, 12 18, 12 12))")),
                Arguments.of("a parcel with a hole and an island parcel larger than it", false, 1, List.of(
                        "POLYGON ((0 0, 30 0, 30 30, 0 30, 0 0), (10 10, 20 10, 20 20, 10 20, 10 10))",
                        "POLYGON ((9 9, 21 9, 21 21, 9 21, 9 9))")),
                Arguments.of("a multipolygon around a neighbour", true, 0, List.of(
                        "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0)), ((20 0, 30 0, 30 10, 20 10, 20 0)))",
                        "POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))",
                        "POLYGON ((0 10, 10 10, 20 10, 30 10, 30 20, 0 20, 0 10))")),
                Arguments.of("a multipolygon overlapping a neighbour", false, 1, List.of(
                        "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0)), ((15 0, 25 0, 25 10, 15 10, 15 0)))",
                        "POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))")),
                Arguments.of("parcels touching at one vertex", true, 0, List.of(
                        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))",
                        "POLYGON ((10 10, 20 10, 20 20, 10 20, 10 10))")),
                Arguments.of("a vertex touching the middle of a neighbour's edge from outside", true, 0, List.of(
                        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))",
                        "POLYGON ((10 5, 20 0, 20 10, 10 5))")),
                Arguments.of("a repeated point", true, 0, List.of(
                        "POLYGON ((0 0, 10 0, 10 0, 10 10, 0 10, 0 0))",
                        "POLYGON ((10 0, 20 0, 20 10, 10 10, 10 10, 10 0))")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theEdgeProofAgreesWithTheValidator(String name, boolean proved, int overlaps, List<String> wkt) throws ParseException {
        List<Geometry> parcels = new ArrayList<>();
        WKTReader reader = new WKTReader(FACTORY);
        for (String w : wkt) {
            parcels.add(reader.read(w));
        }
        Result fast = run(parcels, true);
        Result reference = run(parcels, false);
        assertThat(fast.proved()).as("proved by the edges").isEqualTo(proved ? 1 : 0);
        assertThat(reference.proved()).isZero();
        assertThat(reference.overlaps()).hasSize(overlaps);
        assertThat(fast.overlaps()).isEqualTo(reference.overlaps());
        assertThat(fast.gaps()).isEqualTo(reference.gaps());
    }

    @Test
    void aSliverOverlapIsReportedWithItsArea() throws ParseException {
        WKTReader reader = new WKTReader(FACTORY);
        Result fast = run(List.of(reader.read("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"),
                reader.read("POLYGON ((10 0, 20 0, 20 10, 10 10, 9.98 5, 10 0))")), true);
        assertThat(fast.overlaps()).singleElement().satisfies(o -> {
            assertThat(o.aNo()).isEqualTo(1);
            assertThat(o.bNo()).isEqualTo(2);
            assertThat(o.area()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
        });
    }

    /**
     * A transformed parcel that came out self-intersecting (a bow tie here) is named and repaired before the
     * coverage checks, whose edge proof assumes valid polygons; the sheet is then proved clean as the repaired
     * parcels tile it. Without a transform nothing is checked again.
     */
    @Test
    void aParcelBrokenByTheTransformIsNamedAndRepairedBeforeTheCoverageChecks() throws ParseException {
        WKTReader reader = new WKTReader(FACTORY);
        List<Geometry> parcels = List.of(reader.read("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"),
                reader.read("MULTIPOLYGON (((10 0, 20 10, 20 0, 10 10, 10 0)))"));
        try (SheetCoverage coverage = new SheetCoverage(FACTORY, true, true)) {
            for (int i = 0; i < parcels.size(); i++) {
                coverage.add(i + 1, "25441", 3, i + 1, parcels.get(i));
            }
            coverage.finish();
            assertThat(coverage.usable()).isTrue();
            assertThat(coverage.brokenByTransform()).containsExactly(2);
            assertThat(coverage.provedClean()).isEqualTo(1);
            assertThat(coverage.overlaps(Set.of())).isEmpty();
        }
        try (SheetCoverage coverage = new SheetCoverage(FACTORY, true, false)) {
            coverage.add(1, "25441", 3, 1, parcels.get(1));
            coverage.finish();
            assertThat(coverage.brokenByTransform()).isEmpty();
        }
    }

    /**
     * A file whose sheets come in more than one run gives the coverage up to SQL; its transformed parcels are still
     * checked again (those waiting in the sheet at that moment, and every one after), so the list stays complete.
     */
    @Test
    void theTransformIsCheckedAgainAfterTheCoverageIsGivenUp() throws ParseException {
        WKTReader reader = new WKTReader(FACTORY);
        Geometry square = reader.read("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))");
        Geometry bowTie = reader.read("MULTIPOLYGON (((10 0, 20 10, 20 0, 10 10, 10 0)))");
        try (SheetCoverage coverage = new SheetCoverage(FACTORY, true, true)) {
            coverage.add(1, "25441", 3, 1, bowTie);          // checked with its sheet
            coverage.add(2, "25441", 4, 1, square);
            coverage.add(3, "25441", 4, 2, bowTie);          // waiting in sheet 4 when the coverage is given up
            coverage.add(4, "25441", 3, 3, square);          // sheet 3 again: the coverage is given up here
            for (int i = 5; i < 5 + SheetCoverage.RECHECK_CHUNK + 10; i++) {
                coverage.add(i, "25441", 5, i, i % 700 == 0 ? bowTie : square);
            }
            coverage.finish();
            assertThat(coverage.usable()).isFalse();
            assertThat(coverage.brokenByTransform()).containsExactly(1, 3, 700);
        }
    }

    /** A parcel delivered without its number (a missing-key error already) overlaps as "no number", not as parcel 0. */
    @Test
    void aParcelWithoutNumberOverlapsWithoutOne() throws ParseException {
        WKTReader wkt = new WKTReader(FACTORY);
        try (SheetCoverage coverage = new SheetCoverage(FACTORY)) {
            coverage.add(1, "25441", 3, 7, wkt.read("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"));
            coverage.add(2, "25441", 3, null, wkt.read("POLYGON ((5 0, 15 0, 15 10, 5 10, 5 0))"));
            coverage.finish();
            assertThat(coverage.overlaps(Set.of())).singleElement().satisfies(o -> {
                assertThat(o.parcel()).isEqualTo(7);
                assertThat(o.bParcel()).isNull();
                assertThat(o.area()).isEqualTo(50.0);
            });
        }
    }

    /**
     * The sheets' unions are unioned a group of neighbours at a time: the same polygon as one union of them all, holes
     * included (here 40 x 25 sheets of irregular outline, packed as they are kept, shuffled, seven left out: two of
     * them whole gaps, five on the edge), and an empty union among them changes nothing.
     */
    @Test
    void theSheetsUnionedInGroupsAreTheirUnionAtOnce() {
        GeometryFactory f = new GeometryFactory();
        Random random = new Random(11);
        int nx = 40;
        int ny = 25;
        // shared corner points, jittered, so that neighbouring sheets meet edge to edge on crooked lines
        double[][][] corner = new double[nx + 1][ny + 1][];
        for (int i = 0; i <= nx; i++) {
            for (int j = 0; j <= ny; j++) {
                boolean inner = i > 0 && j > 0 && i < nx && j < ny;
                corner[i][j] = new double[] {i * 100 + (inner ? random.nextDouble() * 30 - 15 : 0), j * 80 + (inner ? random.nextDouble() * 30 - 15 : 0)};
            }
        }
        Set<String> missing = Set.of("7/9", "30/12", "0/0", "39/24", "12/0", "0/13", "39/3");
        List<Geometry> sheets = new ArrayList<>();
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                if (missing.contains(i + "/" + j)) {
                    continue;
                }
                double[] a = corner[i][j];
                double[] b = corner[i + 1][j];
                double[] c = corner[i + 1][j + 1];
                double[] d = corner[i][j + 1];
                sheets.add(f.createPolygon(new Coordinate[] {new Coordinate(a[0], a[1]), new Coordinate(b[0], b[1]),
                        new Coordinate(c[0], c[1]), new Coordinate(d[0], d[1]), new Coordinate(a[0], a[1])}));
            }
        }
        java.util.Collections.shuffle(sheets, random);
        Geometry atOnce = org.locationtech.jts.coverage.CoverageUnion.union(sheets.toArray(Geometry[]::new));
        sheets.replaceAll(SheetCoverage::packed);
        sheets.add(7, f.createPolygon());
        Geometry grouped = SheetCoverage.unionOfSheets(sheets);
        assertThat(grouped.getArea()).isCloseTo(atOnce.getArea(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(grouped.symDifference(atOnce).getArea()).isLessThan(1e-6);
        assertThat(((org.locationtech.jts.geom.Polygon) grouped).getNumInteriorRing()).isEqualTo(2);
        assertThat(grouped.getNumPoints()).isEqualTo(atOnce.getNumPoints());
        assertThat(SheetCoverage.unionOfSheets(sheets.subList(0, 1))).isSameAs(sheets.getFirst());
        assertThat(SheetCoverage.unionOfSheets(List.of(f.createPolygon())).isEmpty()).isTrue();
    }

    @Test
    void aKeptUnionIsPackedWithTheSameCoordinates() throws ParseException {
        Geometry union = new WKTReader().read("MULTIPOLYGON (((0 0, 10.123456789012345 0, 10 10, 0 10, 0 0), (2 2, 2 3, 3 3, 3 2, 2 2)), ((20 0, 30 0, 30 5, 20 0)))");
        Geometry packed = SheetCoverage.packed(union);
        assertThat(packed.equalsExact(union, 0)).isTrue();
        assertThat(((Polygon) packed.getGeometryN(0)).getExteriorRing().getCoordinateSequence())
                .isInstanceOf(SheetCoverage.Uncached.class)
                .satisfies(seq -> assertThat(seq.getDimension()).isEqualTo(2))
                .satisfies(seq -> assertThat(seq.toCoordinateArray()).isNotSameAs(seq.toCoordinateArray()))
                .satisfies(seq -> assertThat(seq.copy()).isInstanceOf(SheetCoverage.Uncached.class));
    }

    @Test
    void aHoleInTheSheetIsAGapOnEitherPath() {
        List<Geometry> parcels = read(without(grid(3, 3, false), 4));
        assertThat(run(parcels, true).gaps()).singleElement().satisfies(g -> assertThat(g.area()).isCloseTo(100.0 * 100.0 / 9 / 1.0, org.assertj.core.data.Offset.offset(1e-6)));
    }

    /**
     * A sheet as the generator makes them (a jittered grid of 400 parcels, each vertex shared by the parcels around
     * it) is proved clean; a defect injected into a copy of it that makes two parcels' interiors meet sends it to
     * the validator, and either way the findings are the validator path's.
     */
    @Test
    void aGeneratedSheetIsProvedCleanAndEachInjectedDefectFallsBack() {
        Random random = new Random(11);
        int n = 20;
        Coordinate[][] nodes = new Coordinate[n + 1][n + 1];
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= n; j++) {
                double jitter = i == 0 || j == 0 || i == n || j == n ? 0 : 1;
                nodes[i][j] = new Coordinate(585_000 + i * 20 + jitter * random.nextDouble() * 6 - 3 + 0.001 * random.nextInt(1000),
                        1_252_000 + j * 20 + jitter * random.nextDouble() * 6 - 3);
            }
        }
        List<Geometry> clean = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                clean.add(FACTORY.createPolygon(new Coordinate[] {nodes[i][j], nodes[i + 1][j], nodes[i + 1][j + 1], nodes[i][j + 1], nodes[i][j]}));
            }
        }
        Result fast = run(clean, true);
        assertThat(fast.proved()).isEqualTo(1);
        assertThat(fast.overlaps()).isEmpty();
        assertThat(fast.gaps()).isEqualTo(run(clean, false).gaps());

        int fellBack = 0;
        for (int defect = 0; defect < 40; defect++) {
            List<Geometry> parcels = new ArrayList<>(clean);
            int victim = random.nextInt(parcels.size());
            Geometry g = parcels.get(victim);
            switch (defect % 4) {
                case 0 -> parcels.set(victim, moved(g, 1 + random.nextInt(3), 0.5, 0.3));   // a vertex pushed out: overlap and gap
                case 1 -> parcels.add(g.copy());                                                 // a duplicate
                case 2 -> parcels.set(victim, moved(g, 0, 0.01, 0.0));                           // a vertex off by a centimetre
                default -> parcels.set(victim, g.buffer(0.05));                                  // a grown parcel: slivers all round
            }
            Result a = run(parcels, true);
            Result b = run(parcels, false);
            if (interiorsMeet(parcels)) {
                assertThat(a.proved()).as("defect %d", defect).isZero();
                fellBack++;
            }
            assertThat(a.overlaps()).isEqualTo(b.overlaps());
            assertThat(a.gaps()).isEqualTo(b.gaps());
        }
        assertThat(fellBack).isGreaterThan(30);   // a vertex moved along the sheet's edge opens a gap only, and may pass
    }

    /** Whether two of the parcels share interior points (overlap, contain, repeat), by brute force. */
    private static boolean interiorsMeet(List<Geometry> parcels) {
        for (int i = 0; i < parcels.size(); i++) {
            for (int j = i + 1; j < parcels.size(); j++) {
                Geometry a = parcels.get(i);
                Geometry b = parcels.get(j);
                if (a.getEnvelopeInternal().intersects(b.getEnvelopeInternal()) && a.relate(b, "T********")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The polygon (one ring) with one vertex moved by (dx, dy); the ring's closing point with it when it is the first. */
    private static Geometry moved(Geometry polygon, int vertex, double dx, double dy) {
        Coordinate[] c = polygon.getCoordinates();
        c[vertex] = new Coordinate(c[vertex].x + dx, c[vertex].y + dy);   // a new point: the grid's are shared by its parcels
        if (vertex == 0) {
            c[c.length - 1] = c[0];
        }
        return FACTORY.createPolygon(c);
    }

    private record Result(int proved, List<SheetCoverage.Overlap> overlaps, List<SheetCoverage.Gap> gaps) {
    }

    private static Result run(List<Geometry> parcels, boolean fastPath) {
        try (SheetCoverage coverage = new SheetCoverage(FACTORY, fastPath)) {
            for (int i = 0; i < parcels.size(); i++) {
                coverage.add(i + 1, "25441", 3, i + 1, parcels.get(i));
            }
            coverage.finish();
            assertThat(coverage.usable()).as(coverage.unusableReason()).isTrue();
            return new Result(coverage.provedClean(), coverage.overlaps(Set.of()), coverage.gaps(Set.of(), 0.01));
        }
    }

    /** A grid of {@code nx} × {@code ny} squares over 100 m, every other ring clockwise when {@code mixed}. */
    private static List<String> grid(int nx, int ny, boolean mixed) {
        List<String> out = new ArrayList<>();
        double w = 100.0 / nx;
        double h = 100.0 / ny;
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                double x0 = i * w;
                double y0 = j * h;
                double x1 = (i + 1) * w;
                double y1 = (j + 1) * h;
                out.add(mixed && (i + j) % 2 == 1
                        ? "POLYGON ((%s %s, %s %s, %s %s, %s %s, %s %s))".formatted(x0, y0, x0, y1, x1, y1, x1, y0, x0, y0)
                        : "POLYGON ((%s %s, %s %s, %s %s, %s %s, %s %s))".formatted(x0, y0, x1, y0, x1, y1, x0, y1, x0, y0));
            }
        }
        return out;
    }

    private static List<String> without(List<String> parcels, int index) {
        List<String> out = new ArrayList<>(parcels);
        out.remove(index);
        return out;
    }

    private static List<Geometry> read(List<String> wkt) {
        WKTReader reader = new WKTReader(FACTORY);
        List<Geometry> out = new ArrayList<>();
        for (String w : wkt) {
            try {
                out.add(reader.read(w));
            } catch (ParseException e) {
                throw new IllegalArgumentException(w, e);
            }
        }
        return out;
    }
}
