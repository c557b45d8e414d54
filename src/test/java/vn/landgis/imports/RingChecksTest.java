package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.valid.IsValidOp;

/** The short way to a simple ring's validity never says valid where JTS says invalid, and spares JTS most parcels. */
class RingChecksTest {

    private static final GeometryFactory FACTORY = new GeometryFactory();

    private static List<double[][]> one(double... xy) {
        List<double[][]> polygons = new ArrayList<>();
        polygons.add(new double[][] {xy});
        return polygons;
    }

    private static Polygon polygon(double[] xy) {
        Coordinate[] c = new Coordinate[xy.length / 2];
        for (int i = 0; i < c.length; i++) {
            c[i] = new Coordinate(xy[2 * i], xy[2 * i + 1]);
        }
        return FACTORY.createPolygon(c);
    }

    private static boolean jtsValid(List<double[][]> polygons) {
        List<Polygon> parts = new ArrayList<>();
        for (double[][] p : polygons) {
            LinearRing[] rings = new LinearRing[p.length];
            for (int r = 0; r < p.length; r++) {
                Coordinate[] c = new Coordinate[p[r].length / 2];
                for (int i = 0; i < c.length; i++) {
                    c[i] = new Coordinate(p[r][2 * i], p[r][2 * i + 1]);
                }
                rings[r] = FACTORY.createLinearRing(c);
            }
            parts.add(FACTORY.createPolygon(rings[0], java.util.Arrays.copyOfRange(rings, 1, rings.length)));
        }
        return IsValidOp.isValid(FACTORY.createMultiPolygon(parts.toArray(Polygon[]::new)));
    }

    @Test
    void simpleRingsAreProvedAndEveryKindOfDoubtIsLeftToJts() {
        assertThat(RingChecks.provablySimpleShell(one(0, 0, 10, 0, 10, 10, 0, 10, 0, 0))).isTrue();
        assertThat(RingChecks.provablySimpleShell(one(0, 0, 5, 0, 10, 0, 10, 10, 0, 10, 0, 0))).as("a neighbour's vertex on a side").isTrue();
        assertThat(RingChecks.provablySimpleShell(one(0, 0, 10, 0, 0, 10, 0, 0))).as("a triangle").isTrue();
        // invalid in JTS
        assertThat(RingChecks.provablySimpleShell(one(0, 0, 10, 10, 10, 0, 0, 10, 0, 0))).as("a bow tie").isFalse();
        assertThat(RingChecks.provablySimpleShell(one(0, 0, 10, 0, 10, 10, 5, 0, 0, 10, 0, 0))).as("a vertex on another side").isFalse();
        assertThat(RingChecks.provablySimpleShell(one(0, 0, 10, 0, 15, 0, 10, 0, 10, 10, 0, 0))).as("a spike along a side").isFalse();
        assertThat(RingChecks.provablySimpleShell(one(0, 0, 10, 0, 20, 0, 0, 0))).as("all on a line").isFalse();
        assertThat(RingChecks.provablySimpleShell(one(0, 0, 10, 0, 10, 0, 10, 10, 0, 10, 0, 0))).as("a repeated point, as JTS").isTrue();
        assertThat(jtsValid(one(0, 0, 10, 0, 10, 0, 10, 10, 0, 10, 0, 0))).isTrue();
        assertThat(RingChecks.provablySimpleShell(one(0, 0, 0, 0, 10, 0, 10, 0, 0, 0))).as("two distinct points").isFalse();
        assertThat(RingChecks.provablySimpleShell(one(0, 0, 10, 0, Double.NaN, 10, 0, 0))).isFalse();
        // valid in JTS but not for the short way: a touching vertex, holes, parts, long rings
        assertThat(RingChecks.provablySimpleShell(List.<double[][]>of(new double[][] {{0, 0, 10, 0, 10, 10, 0, 10, 0, 0}, {2, 2, 3, 2, 3, 3, 2, 2}}))).isFalse();
        assertThat(RingChecks.provablySimpleShell(List.<double[][]>of(new double[][] {{0, 0, 1, 0, 1, 1, 0, 0}}, new double[][] {{5, 5, 6, 5, 6, 6, 5, 5}}))).isFalse();
        double[] circle = new double[2 * (RingChecks.MAX_SIMPLE_POINTS + 1)];
        for (int i = 0; i < RingChecks.MAX_SIMPLE_POINTS; i++) {
            circle[2 * i] = Math.cos(2 * Math.PI * i / RingChecks.MAX_SIMPLE_POINTS);
            circle[2 * i + 1] = Math.sin(2 * Math.PI * i / RingChecks.MAX_SIMPLE_POINTS);
        }
        circle[circle.length - 2] = circle[0];
        circle[circle.length - 1] = circle[1];
        assertThat(RingChecks.provablySimpleShell(one(circle))).as("longer than the short way takes").isFalse();
        assertThat(jtsValid(one(circle))).isTrue();
    }

    /** Random rings of a few vertices on a coarse grid (so that touching, collinear and crossing sides are common). */
    @Test
    void neverValidWhereJtsSaysInvalidAndValidForMostSimpleRings() {
        Random random = new Random(23);
        int provedValid = 0;
        int jtsValidCount = 0;
        for (int i = 0; i < 50_000; i++) {
            int n = 3 + random.nextInt(8);
            double[] xy = new double[2 * (n + 1)];
            for (int k = 0; k < n; k++) {
                xy[2 * k] = 560_000 + random.nextInt(6) * 1.5;
                xy[2 * k + 1] = 1_250_000 + random.nextInt(6) * 1.5;
            }
            xy[2 * n] = xy[0];
            xy[2 * n + 1] = xy[1];
            if (random.nextInt(4) == 0) {   // a vertex repeated right after itself
                int k = random.nextInt(n);
                double[] repeated = new double[xy.length + 2];
                System.arraycopy(xy, 0, repeated, 0, 2 * k + 2);
                System.arraycopy(xy, 2 * k, repeated, 2 * k + 2, xy.length - 2 * k);
                xy = repeated;
            }
            List<double[][]> ring = one(xy);
            boolean jts;
            try {
                jts = jtsValid(ring);
            } catch (IllegalArgumentException e) {
                jts = false;   // too few distinct points for a ring
            }
            boolean proved = RingChecks.provablySimpleShell(ring);
            if (jts) {   // the same answer for the JTS geometry the coverage worker holds
                assertThat(RingChecks.provablySimpleShell(FACTORY.createMultiPolygon(new Polygon[] {polygon(xy)}))).isEqualTo(proved);
            }
            if (proved) {
                assertThat(jts).as(java.util.Arrays.toString(xy)).isTrue();
                provedValid++;
            }
            if (jts) {
                jtsValidCount++;
            }
        }
        assertThat(provedValid).isGreaterThan(1_000);
        assertThat(provedValid).isGreaterThan(jtsValidCount / 2);
    }

    /** Convex rings of up to the short way's limit, as parcels mostly are: all proved. */
    @Test
    void everyConvexRingIsProvedValid() {
        Random random = new Random(29);
        for (int i = 0; i < 5_000; i++) {
            int n = 3 + random.nextInt(RingChecks.MAX_SIMPLE_POINTS - 3);
            double cx = 560_000 + random.nextDouble() * 1_000;
            double cy = 1_250_000 + random.nextDouble() * 1_000;
            double radius = 1 + random.nextDouble() * 50;
            double[] angles = random.doubles(n, 0, 2 * Math.PI).sorted().distinct().toArray();
            double[] xy = new double[2 * (angles.length + 1)];
            for (int k = 0; k < angles.length; k++) {
                xy[2 * k] = cx + radius * Math.cos(angles[k]);
                xy[2 * k + 1] = cy + radius * Math.sin(angles[k]);
            }
            xy[2 * angles.length] = xy[0];
            xy[2 * angles.length + 1] = xy[1];
            if (jtsValid(one(xy))) {
                assertThat(RingChecks.provablySimpleShell(one(xy))).as(java.util.Arrays.toString(xy)).isTrue();
            }
        }
    }
}
