package vn.landgis.imports;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.locationtech.jts.algorithm.CGAlgorithmsDD;

/**
 * The geometry defects that stop a geometry from being built at all, found and repaired before PostGIS sees
 * it: rings whose last point is not the first (closed by repeating the first), polygons repeated in a feature
 * (the repeats dropped), rings of fewer than four points (dropped; a feature left with none is rejected).
 */
final class RingChecks {

    /** {@code polygons}: what was kept, rings closed (empty when nothing was). */
    record Result(byte[] wkb, List<String> repairs, boolean empty, List<double[][]> polygons) {
    }

    private RingChecks() {
    }

    /**
     * Beyond this (metres or degrees) a coordinate is in no system a delivery can be in (UTM and TM-3 northings stay
     * under 1e7, Web Mercator under 2.1e7): a file's junk, on which the transforms' series overflow.
     */
    static final double MAX_COORDINATE = 1e8;

    static Result check(List<double[][]> polygons) {
        for (double[][] polygon : polygons) {
            for (double[] ring : polygon) {
                for (double v : ring) {
                    if (!(Math.abs(v) <= MAX_COORDINATE)) {   // NaN too
                        return new Result(null, List.of("bad-coordinates"), true, List.of());
                    }
                }
            }
        }
        List<String> repairs = new ArrayList<>();
        List<double[][]> kept = new ArrayList<>();
        for (double[][] polygon : polygons) {
            List<double[]> rings = new ArrayList<>();
            for (double[] ring : polygon) {
                double[] r = ring;
                if (r.length >= 4 && (r[0] != r[r.length - 2] || r[1] != r[r.length - 1])) {
                    r = Arrays.copyOf(r, r.length + 2);
                    r[r.length - 2] = r[0];
                    r[r.length - 1] = r[1];
                    repairs.add("unclosed-ring");
                }
                if (r.length < 8) {
                    repairs.add("degenerate-ring");
                    continue;
                }
                rings.add(r);
            }
            if (rings.isEmpty()) {
                continue;
            }
            double[][] p = rings.toArray(double[][]::new);
            if (kept.stream().anyMatch(k -> Arrays.deepEquals(k, p))) {
                repairs.add("duplicate-ring");
                continue;
            }
            kept.add(p);
        }
        return new Result(kept.isEmpty() ? null : wkb(kept), List.copyOf(repairs), kept.isEmpty(), kept);
    }

    /** Beyond this many points a ring's validity is left to JTS: the pairwise test grows with the square. */
    static final int MAX_SIMPLE_POINTS = 64;

    /**
     * True only when the geometry is one polygon of one ring that is provably simple: finite coordinates, at least
     * three distinct vertices (a point repeated right after itself counts once), no two sides meeting except
     * consecutive ones at their shared vertex, and those not folding back along each other. Such a ring is a valid polygon in JTS's terms ({@code IsValidOp}), so the
     * general test can be spared. False means "not proven": anything touching, collinear overlapping, with holes or
     * parts, or long goes to {@code IsValidOp}. The orientations are JTS's robust ones, so no rounding can prove
     * wrong. (Most cadastral parcels are one short ring: {@code IsValidOp}'s indexes and noding were an eighth of
     * the reading thread's samples, JFR, 1 M parcels.)
     */
    static boolean provablySimpleShell(List<double[][]> polygons) {
        return polygons.size() == 1 && polygons.getFirst().length == 1 && provablySimpleRing(polygons.getFirst()[0]);
    }

    /** {@link #provablySimpleShell(List)} of a JTS geometry (the coverage worker's check of transformed parcels). */
    static boolean provablySimpleShell(org.locationtech.jts.geom.Geometry g) {
        if (g.getNumGeometries() != 1 || !(g.getGeometryN(0) instanceof org.locationtech.jts.geom.Polygon p) || p.getNumInteriorRing() != 0) {
            return false;
        }
        var seq = p.getExteriorRing().getCoordinateSequence();
        if (seq.size() > MAX_SIMPLE_POINTS) {
            return false;
        }
        double[] r = new double[2 * seq.size()];
        for (int i = 0; i < seq.size(); i++) {
            r[2 * i] = seq.getX(i);
            r[2 * i + 1] = seq.getY(i);
        }
        return provablySimpleRing(r);
    }

    /** A closed ring of x, y pairs: see {@link #provablySimpleShell(List)}. */
    private static boolean provablySimpleRing(double[] ring) {
        int points = ring.length / 2;
        if (points < 4 || points > MAX_SIMPLE_POINTS || ring[0] != ring[ring.length - 2] || ring[1] != ring[ring.length - 1]) {
            return false;
        }
        // a point repeated right after itself is no vertex to JTS either (its validity test drops such repeats)
        double[] r = ring;
        int kept = 1;
        for (int i = 1; i < points; i++) {
            double x = ring[2 * i];
            double y = ring[2 * i + 1];
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                return false;
            }
            if (x == ring[2 * i - 2] && y == ring[2 * i - 1]) {
                if (r == ring) {
                    r = java.util.Arrays.copyOf(ring, ring.length);
                }
                continue;
            }
            r[2 * kept] = x;
            r[2 * kept + 1] = y;
            kept++;
        }
        if (kept < 4 || !Double.isFinite(r[0]) || !Double.isFinite(r[1])) {
            return false;
        }
        int sides = kept - 1;
        for (int i = 0; i < sides; i++) {
            // consecutive sides i and i + 1 (the last and the first too) share a vertex: they must not fold back
            int j = (i + 1) % sides;
            if (!turnsOrGoesOn(r, i, j)) {
                return false;
            }
            // the sides that share no vertex with side i: strictly apart
            for (int k = i + 2; k < sides; k++) {
                if (i == 0 && k == sides - 1) {
                    continue;   // the last side shares the first vertex
                }
                if (!apart(r, i, k)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Side a ends where side b starts: they turn there, or go straight on (collinear, the same way). */
    private static boolean turnsOrGoesOn(double[] r, int a, int b) {
        double px = r[2 * a], py = r[2 * a + 1], qx = r[2 * b], qy = r[2 * b + 1], sx = r[2 * b + 2], sy = r[2 * b + 3];
        if (CGAlgorithmsDD.orientationIndex(px, py, qx, qy, sx, sy) != 0) {
            return true;
        }
        // collinear: the same way when both steps' components have the same signs (exact: the signs of differences)
        return Math.signum(qx - px) == Math.signum(sx - qx) && Math.signum(qy - py) == Math.signum(sy - qy);
    }

    /** Sides a and b share no point: by their boxes, or one lies strictly on one side of the other's line. */
    private static boolean apart(double[] r, int a, int b) {
        double ax0 = r[2 * a], ay0 = r[2 * a + 1], ax1 = r[2 * a + 2], ay1 = r[2 * a + 3];
        double bx0 = r[2 * b], by0 = r[2 * b + 1], bx1 = r[2 * b + 2], by1 = r[2 * b + 3];
        if (Math.max(ax0, ax1) < Math.min(bx0, bx1) || Math.max(bx0, bx1) < Math.min(ax0, ax1)
                || Math.max(ay0, ay1) < Math.min(by0, by1) || Math.max(by0, by1) < Math.min(ay0, ay1)) {
            return true;
        }
        int o1 = CGAlgorithmsDD.orientationIndex(ax0, ay0, ax1, ay1, bx0, by0);
        if (o1 != 0 && o1 == CGAlgorithmsDD.orientationIndex(ax0, ay0, ax1, ay1, bx1, by1)) {
            return true;
        }
        int o3 = CGAlgorithmsDD.orientationIndex(bx0, by0, bx1, by1, ax0, ay0);
        return o3 != 0 && o3 == CGAlgorithmsDD.orientationIndex(bx0, by0, bx1, by1, ax1, ay1);
    }

    static byte[] wkb(List<double[][]> polygons) {
        int size = 9;
        for (double[][] p : polygons) {
            size += 9;
            for (double[] r : p) {
                size += 4 + r.length * 8;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 1).putInt(6).putInt(polygons.size());
        for (double[][] p : polygons) {
            b.put((byte) 1).putInt(3).putInt(p.length);
            for (double[] r : p) {
                b.putInt(r.length / 2);
                for (double v : r) {
                    b.putDouble(v);
                }
            }
        }
        return b.array();
    }

    /** Parses (Multi)Polygon WKB of either byte order into polygons of rings, without checking closure. */
    static List<double[][]> parseWkb(ByteBuffer b) {
        b.order(b.get() == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int type = b.getInt() & 0xffff;
        List<double[][]> out = new ArrayList<>();
        if (type % 1000 == 3) {
            out.add(polygon(b, type >= 1000 ? type / 1000 : 0));
        } else if (type % 1000 == 6) {
            int n = b.getInt();
            for (int i = 0; i < n; i++) {
                b.order(b.get() == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                int t = b.getInt() & 0xffff;
                if (t % 1000 != 3) {
                    throw new IllegalArgumentException("a MultiPolygon part of type " + t);
                }
                out.add(polygon(b, t >= 1000 ? t / 1000 : 0));
            }
        } else {
            throw new IllegalArgumentException("geometry type " + type + " is not a polygon");
        }
        return out;
    }

    private static double[][] polygon(ByteBuffer b, int dims) {
        int extra = dims == 1 || dims == 2 ? 1 : dims == 3 ? 2 : 0;   // Z or M, ZM
        int rings = b.getInt();
        if (rings < 0 || rings > 100_000) {
            throw new IllegalArgumentException("implausible ring count " + rings);
        }
        double[][] out = new double[rings][];
        for (int r = 0; r < rings; r++) {
            int n = b.getInt();
            if (n < 0 || (long) n * (16 + extra * 8) > b.remaining()) {
                throw new IllegalArgumentException("ring of " + n + " points overruns the geometry");
            }
            double[] xy = new double[n * 2];
            for (int i = 0; i < n; i++) {
                xy[2 * i] = b.getDouble();
                xy[2 * i + 1] = b.getDouble();
                for (int e = 0; e < extra; e++) {
                    b.getDouble();
                }
            }
            out[r] = xy;
        }
        return out;
    }
}
