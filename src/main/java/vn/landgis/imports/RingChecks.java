package vn.landgis.imports;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
