package vn.landgis.generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates a synthetic district, deterministically from a seed.
 *
 * <p>How: a lattice of roads and canals (dense near the centre, sparse in the fields) cuts the plane into
 * blocks; each block is divided by guillotine cuts into lots whose sizes and land uses follow the zone (town
 * core, town, peri-urban, fields); road and canal segments and their crossings are parcels too. Every piece is
 * a rectangle in the lattice frame, and every edge gets the vertices of the pieces on the other side, so the
 * parcels form an exact, fully noded coverage. A smooth warp, a rotation and a translation then place the
 * district where its real counterpart is, in the TM-3 system its sheets were drawn in. Since the warp maps
 * each shared vertex to the same point, the coverage stays exact.
 *
 * <p>Not thread-safe; one instance per run.
 */
public final class CadastreGenerator {

    /** What to generate. {@code defects}: rate per kind (fraction of parcels, or of sheets for per-sheet kinds). */
    public record Options(long seed, int parcels, String district, Map<Defect, Double> defects) {
        public Options {
            if (parcels < 100) {
                throw new IllegalArgumentException("at least 100 parcels");
            }
            defects = defects == null ? Map.of() : Map.copyOf(defects);
            defects.forEach((k, v) -> {
                if (!(v >= 0 && v <= 0.5)) {
                    throw new IllegalArgumentException("defect rate of " + k.key() + " must be within 0..0.5");
                }
            });
        }
    }

    /** Spacing of the vertices added along long sides, in lattice metres. */
    static final double GRID_STEP = 20;

    static final byte ROAD = 0;
    static final byte CANAL = 1;
    static final byte RIVER = 2;

    private final Options options;
    private final DistrictProfile profile;

    private double radius;
    private double[] xs;
    private double[] xw;
    private byte[] xkind;
    private double[] ys;
    private double[] yw;
    private byte[] ykind;
    private double[][] seeds;
    private final double rotation;
    private final double[] warpPhase = new double[4];
    private double centerX;
    private double centerY;

    public CadastreGenerator(Options options) {
        this.options = options;
        this.profile = DistrictProfile.load(options.district());
        SplittableRandom rng = new SplittableRandom(options.seed());
        this.rotation = Math.toRadians(6 + rng.nextDouble() * 20);
        for (int i = 0; i < warpPhase.length; i++) {
            warpPhase[i] = rng.nextDouble() * 2 * Math.PI;
        }
        double[] c = profile.sourceCrs().fromWgs84(profile.centerLon(), profile.centerLat());
        this.centerX = c[0];
        this.centerY = c[1];
    }

    public static SyntheticDistrict generate(Options options) {
        return new CadastreGenerator(options).run();
    }

    SyntheticDistrict run() {
        // Find the radius that gives about the asked number of parcels: the count grows with the area.
        radius = Math.sqrt(options.parcels() * 450.0 / Math.PI);
        for (int iteration = 0; iteration < 8; iteration++) {
            layLattice();
            int count = countParcels();
            double ratio = (double) options.parcels() / count;
            if (Math.abs(ratio - 1) < 0.02) {
                break;
            }
            radius *= Math.pow(ratio, 0.5);
        }
        layLattice();
        Layout layout = new Layout();
        layout.build();
        SyntheticDistrict district = new SyntheticDistrict(profile, options, layout.parcels);
        new Cadastralizer(district, options.seed()).numberAndMeasure();
        new DefectInjector(district, options.seed()).inject(options.defects());
        district.finish();
        return district;
    }

    // ---------------------------------------------------------------- lattice

    private void layLattice() {
        SplittableRandom rng = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
        double[][] x = axis(rng.split());
        double[][] y = axis(rng.split());
        xs = x[0];
        xw = x[1];
        xkind = toKinds(x[2]);
        ys = y[0];
        yw = y[1];
        ykind = toKinds(y[2]);
        // commune seeds: wards in a ring round the centre, communes further out, in profile order
        List<DistrictProfile.Commune> communes = profile.communes();
        long wards = communes.stream().filter(DistrictProfile.Commune::urban).count();
        long rural = communes.size() - wards;
        seeds = new double[communes.size()][];
        SplittableRandom s = new SplittableRandom(options.seed() ^ 0x9E3779B97F4A7C15L);
        int w = 0;
        int r = 0;
        for (int i = 0; i < communes.size(); i++) {
            double angle;
            double dist;
            if (communes.get(i).urban()) {
                angle = 2 * Math.PI * w / Math.max(1, wards) + s.nextDouble() * 0.4;
                dist = w == 0 ? 0.02 : 0.16 + 0.14 * s.nextDouble();
                w++;
            } else {
                angle = 2 * Math.PI * r / Math.max(1, rural) + s.nextDouble() * 0.5;
                dist = 0.55 + 0.3 * s.nextDouble();
                r++;
            }
            seeds[i] = new double[] {Math.cos(angle) * dist * radius, Math.sin(angle) * dist * radius};
        }
    }

    private static byte[] toKinds(double[] kinds) {
        byte[] out = new byte[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            out[i] = (byte) kinds[i];
        }
        return out;
    }

    /** Line positions (centre lines), widths and kinds along one axis, from -1.3 R to +1.3 R. */
    private double[][] axis(SplittableRandom rng) {
        double extent = 1.3 * radius;
        List<double[]> lines = new ArrayList<>();
        lines.add(new double[] {0, 24, ROAD});
        for (int side = -1; side <= 1; side += 2) {
            double pos = 0;
            double previousWidth = 24;
            int n = 0;
            while (Math.abs(pos) < extent) {
                double t = Math.abs(pos) / radius;
                double spacing = t < 0.22 ? 80 + rng.nextDouble() * 60
                        : t < 0.45 ? 130 + rng.nextDouble() * 120
                        : t < 0.65 ? 200 + rng.nextDouble() * 160
                        : 320 + rng.nextDouble() * 330;
                n++;
                double t2 = Math.abs(pos + side * spacing) / radius;
                byte kind;
                double width;
                if (side > 0 && n == 2 && radius > 1500) {
                    kind = RIVER;
                    width = 70 + rng.nextDouble() * 50;
                } else if (t2 < 0.45) {
                    kind = ROAD;
                    width = n % 4 == 0 ? 20 + rng.nextDouble() * 8 : 8 + rng.nextDouble() * 6;
                } else if (n % 2 == 0) {
                    kind = CANAL;
                    width = 8 + rng.nextDouble() * 8;
                } else {
                    kind = ROAD;
                    width = 6 + rng.nextDouble() * 4;
                }
                pos += side * (spacing + (width + previousWidth) / 2);   // blocks keep their size whatever the widths
                previousWidth = width;
                lines.add(new double[] {pos, width, kind});
            }
        }
        lines.sort(Comparator.comparingDouble(l -> l[0]));
        double[][] out = new double[3][lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            out[0][i] = lines.get(i)[0];
            out[1][i] = lines.get(i)[1];
            out[2][i] = lines.get(i)[2];
        }
        return out;
    }

    /** Normalised distance of a point from the centre: 1 on the district's (lobed) boundary. */
    private double normalisedDistance(double x, double y) {
        double theta = Math.atan2(y, x);
        double shape = 1 + 0.16 * Math.sin(3 * theta + warpPhase[0]) + 0.08 * Math.sin(5 * theta + warpPhase[1]);
        return Math.hypot(x, y) / (radius * shape);
    }

    private boolean included(int i, int j) {
        if (i < 0 || j < 0 || i >= xs.length - 1 || j >= ys.length - 1) {
            return false;
        }
        return normalisedDistance((xs[i] + xs[i + 1]) / 2, (ys[j] + ys[j + 1]) / 2) <= 1;
    }

    private int communeOf(int i, int j) {
        double cx = (xs[i] + xs[i + 1]) / 2;
        double cy = (ys[j] + ys[j + 1]) / 2;
        int best = 0;
        double bestD = Double.MAX_VALUE;
        for (int k = 0; k < seeds.length; k++) {
            // urban seeds pull less far: wards stay compact, communes take the fields
            double weight = profile.communes().get(k).urban() ? 1.35 : 1.0;
            double d = Math.hypot(cx - seeds[k][0], cy - seeds[k][1]) * weight;
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
    }

    private int countParcels() {
        int count = 0;
        for (int i = 0; i < xs.length - 1; i++) {
            for (int j = 0; j < ys.length - 1; j++) {
                if (included(i, j)) {
                    count += subdivide(i, j).size() + 2;   // + the road segments west and south of it
                }
            }
        }
        return count;
    }

    // ---------------------------------------------------------------- blocks

    /** A piece of land in the lattice frame: x0 < x1, y0 < y1. */
    record Piece(double x0, double y0, double x1, double y1, LandUse use, int frontSide) {
        double area() {
            return (x1 - x0) * (y1 - y0);
        }
    }

    private double zone(int i, int j) {
        return normalisedDistance((xs[i] + xs[i + 1]) / 2, (ys[j] + ys[j + 1]) / 2);
    }

    private double[] block(int i, int j) {
        return new double[] {xs[i] + xw[i] / 2, ys[j] + yw[j] / 2, xs[i + 1] - xw[i + 1] / 2, ys[j + 1] - yw[j + 1] / 2};
    }

    /** Cuts block (i, j) into lots; deterministic per block. frontSide: 0 south, 1 east, 2 north, 3 west. */
    List<Piece> subdivide(int i, int j) {
        SplittableRandom rng = new SplittableRandom(options.seed() * 0x100000001B3L + i * 1_000_003L + j);
        double[] b = block(i, j);
        double d = zone(i, j);
        List<Piece> out = new ArrayList<>();
        double w = b[2] - b[0];
        double h = b[3] - b[1];
        boolean alongX = w >= h;   // lots front on the long sides
        if (d < 0.45 && rng.nextDouble() < 0.07) {
            institutional(b, rng, out);
        } else if (d < 0.2) {
            townRows(b, alongX, rng, out, 4, 6, 0.55, LandUse.ODT);
        } else if (d < 0.45) {
            townRows(b, alongX, rng, out, 5, 10, 0.15, LandUse.ODT);
        } else if (d < 0.65) {
            periUrban(b, alongX, rng, out, communeUrban(i, j) ? LandUse.ODT : LandUse.ONT);
        } else {
            fields(b, alongX, rng, out);
        }
        return out;
    }

    private boolean communeUrban(int i, int j) {
        return profile.communes().get(communeOf(i, j)).urban();
    }

    private void institutional(double[] b, SplittableRandom rng, List<Piece> out) {
        LandUse[] uses = {LandUse.DGD, LandUse.DYT, LandUse.TSC, LandUse.DVH, LandUse.DTT, LandUse.DCH, LandUse.TMD, LandUse.TON, LandUse.DKV};
        int parts = 1 + rng.nextInt(3);
        double x = b[0];
        for (int k = 0; k < parts; k++) {
            double x1 = k == parts - 1 ? b[2] : x + (b[2] - b[0]) / parts * (0.8 + 0.4 * rng.nextDouble());
            out.add(new Piece(x, b[1], x1, b[3], uses[rng.nextInt(uses.length)], 0));
            x = x1;
        }
    }

    /** Two rows of town lots back to back, frontage in [fMin, fMax] m; some lots split into front and back. */
    private void townRows(double[] b, boolean alongX, SplittableRandom rng, List<Piece> out, double fMin, double fMax,
                          double depthSplit, LandUse use) {
        double across0 = alongX ? b[1] : b[0];
        double across1 = alongX ? b[3] : b[2];
        double mid = across0 + (across1 - across0) * (0.45 + 0.1 * rng.nextDouble());
        double[][] rows = across1 - across0 < 30 ? new double[][] {{across0, across1}} : new double[][] {{across0, mid}, {mid, across1}};
        for (int r = 0; r < rows.length; r++) {
            boolean frontAtLow = r == 0;
            double along0 = alongX ? b[0] : b[1];
            double along1 = alongX ? b[2] : b[3];
            double pos = along0;
            while (pos < along1) {
                double f = fMin + rng.nextDouble() * (fMax - fMin);
                if (rng.nextDouble() < 0.05) {
                    f *= 3;   // a double or triple lot
                }
                double next = along1 - (pos + f) < fMin ? along1 : pos + f;
                double a0 = rows[r][0];
                double a1 = rows[r][1];
                LandUse u = rng.nextDouble() < 0.06 ? LandUse.TMD : use;
                if (rng.nextDouble() < depthSplit && a1 - a0 > 22) {
                    double frontDepth = 10 + rng.nextDouble() * 8;
                    double cut = frontAtLow ? a0 + frontDepth : a1 - frontDepth;
                    addPiece(out, alongX, pos, next, a0, cut, u, frontAtLow);
                    addPiece(out, alongX, pos, next, cut, a1, u, frontAtLow);
                } else {
                    addPiece(out, alongX, pos, next, a0, a1, u, frontAtLow);
                }
                pos = next;
            }
        }
    }

    private void addPiece(List<Piece> out, boolean alongX, double along0, double along1, double across0, double across1,
                          LandUse use, boolean frontAtLow) {
        if (alongX) {
            out.add(new Piece(along0, across0, along1, across1, use, frontAtLow ? 0 : 2));
        } else {
            out.add(new Piece(across0, along0, across1, along1, use, frontAtLow ? 3 : 1));
        }
    }

    /** Residential lots on both long sides, gardens, ponds and small fields inside. */
    private void periUrban(double[] b, boolean alongX, SplittableRandom rng, List<Piece> out, LandUse residential) {
        double across0 = alongX ? b[1] : b[0];
        double across1 = alongX ? b[3] : b[2];
        double depth = Math.min(20 + rng.nextDouble() * 15, (across1 - across0) / 3);
        double along0 = alongX ? b[0] : b[1];
        double along1 = alongX ? b[2] : b[3];
        for (int side = 0; side < 2; side++) {
            double a0 = side == 0 ? across0 : across1 - depth;
            double a1 = side == 0 ? across0 + depth : across1;
            double pos = along0;
            while (pos < along1) {
                double f = 8 + rng.nextDouble() * 10;
                double next = along1 - (pos + f) < 8 ? along1 : pos + f;
                addPiece(out, alongX, pos, next, a0, a1, residential, side == 0);
                pos = next;
            }
        }
        LandUse[] inner = {LandUse.CLN, LandUse.CLN, LandUse.HNK, LandUse.NTS, LandUse.LUK, LandUse.CLN, LandUse.MNC};
        guillotine(alongX ? new double[] {along0, across0 + depth, along1, across1 - depth}
                          : new double[] {across0 + depth, along0, across1 - depth, along1},
                800 + rng.nextDouble() * 1800, rng, inner, out);
    }

    /** Fields: a residential strip with gardens along one road, paddy strips across the rest. */
    private void fields(double[] b, boolean alongX, SplittableRandom rng, List<Piece> out) {
        double across0 = alongX ? b[1] : b[0];
        double across1 = alongX ? b[3] : b[2];
        double along0 = alongX ? b[0] : b[1];
        double along1 = alongX ? b[2] : b[3];
        double a = across0;
        if (rng.nextDouble() < 0.6) {
            double span = across1 - across0;
            double houseDepth = Math.min(25 + rng.nextDouble() * 20, span * 0.3);
            double gardenDepth = Math.min(30 + rng.nextDouble() * 50, span * 0.3);
            double pos = along0;
            while (pos < along1) {
                double f = 15 + rng.nextDouble() * 15;
                double next = along1 - (pos + f) < 15 ? along1 : pos + f;
                double r = rng.nextDouble();
                LandUse house = r < 0.02 ? LandUse.TIN : r < 0.03 ? LandUse.NTD : r < 0.04 ? LandUse.DGD : LandUse.ONT;
                addPiece(out, alongX, pos, next, across0, across0 + houseDepth, house, true);
                pos = next;
            }
            pos = along0;
            while (pos < along1) {   // gardens have their own cuts: T-junctions against the house lots
                double f = 25 + rng.nextDouble() * 35;
                double next = along1 - (pos + f) < 25 ? along1 : pos + f;
                addPiece(out, alongX, pos, next, across0 + houseDepth, across0 + houseDepth + gardenDepth,
                        rng.nextDouble() < 0.15 ? LandUse.NTS : LandUse.CLN, true);
                pos = next;
            }
            a = across0 + houseDepth + gardenDepth;
        }
        // paddy strips run across the block, from the gardens (or the road) to the far canal
        double pos = along0;
        while (pos < along1) {
            double width = rng.nextDouble() < 0.04 ? 80 + rng.nextDouble() * 40 : 15 + rng.nextDouble() * 45;
            double next = along1 - (pos + width) < 15 ? along1 : pos + width;
            double r = rng.nextDouble();
            LandUse use = r < 0.7 ? LandUse.LUC : r < 0.82 ? LandUse.LUK : r < 0.9 ? LandUse.HNK : r < 0.97 ? LandUse.NTS : LandUse.BCS;
            int pieces = (across1 - a) > 250 ? 1 + rng.nextInt(3) : 1;
            double c = a;
            for (int k = 0; k < pieces; k++) {
                double c1 = k == pieces - 1 ? across1 : c + (across1 - a) / pieces * (0.8 + 0.4 * rng.nextDouble());
                addPiece(out, alongX, pos, next, c, c1, use, k == 0);
                c = c1;
            }
            pos = next;
        }
    }

    private void guillotine(double[] r, double target, SplittableRandom rng, LandUse[] uses, List<Piece> out) {
        double w = r[2] - r[0];
        double h = r[3] - r[1];
        if (w <= 0 || h <= 0) {
            return;
        }
        if (w * h < target * 1.6 || Math.min(w, h) < 12) {
            out.add(new Piece(r[0], r[1], r[2], r[3], uses[rng.nextInt(uses.length)], -1));
            return;
        }
        double t = 0.35 + 0.3 * rng.nextDouble();
        if (w >= h) {
            double cut = r[0] + w * t;
            guillotine(new double[] {r[0], r[1], cut, r[3]}, target, rng, uses, out);
            guillotine(new double[] {cut, r[1], r[2], r[3]}, target, rng, uses, out);
        } else {
            double cut = r[1] + h * t;
            guillotine(new double[] {r[0], r[1], r[2], cut}, target, rng, uses, out);
            guillotine(new double[] {r[0], cut, r[2], r[3]}, target, rng, uses, out);
        }
    }

    // ---------------------------------------------------------------- placement

    /** Lattice frame to the source CRS: smooth warp, rotation, translation, rounded to the millimetre. */
    double[] place(double x, double y) {
        double wx = x + 35 * Math.sin(2 * Math.PI * y / 2900 + warpPhase[2]) + 12 * Math.sin(2 * Math.PI * (x + y) / 1100 + warpPhase[0]);
        double wy = y + 35 * Math.sin(2 * Math.PI * x / 3100 + warpPhase[3]) + 12 * Math.sin(2 * Math.PI * (x - y) / 1300 + warpPhase[1]);
        double cos = Math.cos(rotation);
        double sin = Math.sin(rotation);
        double px = centerX + wx * cos - wy * sin;
        double py = centerY + wx * sin + wy * cos;
        return new double[] {Math.round(px * 1000) / 1000.0, Math.round(py * 1000) / 1000.0};
    }

    // ---------------------------------------------------------------- layout

    /** Builds all parcels of the included blocks, roads, canals and crossings, fully noded. */
    private final class Layout {
        final List<GeneratedParcel> parcels = new ArrayList<>();
        /** Per block: the vertices on its four sides (south, east, north, west), ascending, corners excluded. */
        final Map<Long, double[][]> sides = new java.util.HashMap<>();

        void build() {
            int nx = xs.length - 1;
            int ny = ys.length - 1;
            for (int i = 0; i < nx; i++) {
                for (int j = 0; j < ny; j++) {
                    if (included(i, j)) {
                        buildBlock(i, j);
                    }
                }
            }
            // vertical segments on x-line i between y-lines j and j+1: blocks (i-1, j) west and (i, j) east
            for (int i = 0; i <= nx; i++) {
                for (int j = 0; j < ny; j++) {
                    boolean west = included(i - 1, j);
                    boolean east = included(i, j);
                    if (!west && !east) {
                        continue;
                    }
                    double x0 = xs[i] - xw[i] / 2;
                    double x1 = xs[i] + xw[i] / 2;
                    double y0 = ys[j] + yw[j] / 2;
                    double y1 = ys[j + 1] - yw[j + 1] / 2;
                    double[] eastSide = east ? sides.get(key(i, j))[3] : new double[0];
                    double[] westSide = west ? sides.get(key(i - 1, j))[1] : new double[0];
                    addLinear(west ? communeOf(i - 1, j) : communeOf(i, j), xkind[i], x0, y0, x1, y1,
                            new double[0], eastSide, new double[0], westSide, i, true);
                }
            }
            // horizontal segments on y-line j between x-lines i and i+1: blocks (i, j-1) south and (i, j) north
            for (int j = 0; j <= ny; j++) {
                for (int i = 0; i < nx; i++) {
                    boolean south = included(i, j - 1);
                    boolean north = included(i, j);
                    if (!south && !north) {
                        continue;
                    }
                    double x0 = xs[i] + xw[i] / 2;
                    double x1 = xs[i + 1] - xw[i + 1] / 2;
                    double y0 = ys[j] - yw[j] / 2;
                    double y1 = ys[j] + yw[j] / 2;
                    double[] southSide = south ? sides.get(key(i, j - 1))[2] : new double[0];
                    double[] northSide = north ? sides.get(key(i, j))[0] : new double[0];
                    addLinear(south ? communeOf(i, j - 1) : communeOf(i, j), ykind[j], x0, y0, x1, y1,
                            southSide, new double[0], northSide, new double[0], j, false);
                }
            }
            // crossings
            for (int i = 0; i <= nx; i++) {
                for (int j = 0; j <= ny; j++) {
                    int owner = -1;
                    int[][] around = {{i - 1, j - 1}, {i, j - 1}, {i - 1, j}, {i, j}};
                    for (int[] c : around) {
                        if (included(c[0], c[1])) {
                            owner = communeOf(c[0], c[1]);
                            break;
                        }
                    }
                    if (owner < 0) {
                        continue;
                    }
                    byte kind = xkind[i] == RIVER || ykind[j] == RIVER ? RIVER
                            : xkind[i] == CANAL && ykind[j] == CANAL ? CANAL : ROAD;
                    addLinear(owner, kind, xs[i] - xw[i] / 2, ys[j] - yw[j] / 2, xs[i] + xw[i] / 2, ys[j] + yw[j] / 2,
                            new double[0], new double[0], new double[0], new double[0], -1, false);
                }
            }
        }

        private long key(int i, int j) {
            return ((long) i << 32) | (j & 0xffffffffL);
        }

        private void buildBlock(int i, int j) {
            List<Piece> pieces = subdivide(i, j);
            double[] b = block(i, j);
            int n = pieces.size();
            // corners of all pieces, sorted by (y, x) and by (x, y), to node every edge against the others
            double[][] byY = new double[n * 4][];
            int k = 0;
            for (Piece p : pieces) {
                byY[k++] = new double[] {p.x0, p.y0};
                byY[k++] = new double[] {p.x1, p.y0};
                byY[k++] = new double[] {p.x1, p.y1};
                byY[k++] = new double[] {p.x0, p.y1};
            }
            double[][] byX = byY.clone();
            Arrays.sort(byY, (a, c) -> a[1] != c[1] ? Double.compare(a[1], c[1]) : Double.compare(a[0], c[0]));
            Arrays.sort(byX, (a, c) -> a[0] != c[0] ? Double.compare(a[0], c[0]) : Double.compare(a[1], c[1]));
            int commune = communeOf(i, j);
            DistrictProfile.Commune c = profile.communes().get(commune);
            for (Piece p : pieces) {
                double[] south = between(byY, 1, p.y0, 0, p.x0, p.x1);
                double[] east = between(byX, 0, p.x1, 1, p.y0, p.y1);
                double[] north = between(byY, 1, p.y1, 0, p.x0, p.x1);
                double[] west = between(byX, 0, p.x0, 1, p.y0, p.y1);
                GeneratedParcel parcel = ring(p.x0, p.y0, p.x1, p.y1, south, east, north, west);
                parcel.communeCode = c.code();
                parcel.landUse = p.use.name();
                parcel.address = address(p, i, j, c);
                parcels.add(parcel);
            }
            sides.put(key(i, j), new double[][] {
                between(byY, 1, b[1], 0, b[0], b[2]),
                between(byX, 0, b[2], 1, b[1], b[3]),
                between(byY, 1, b[3], 0, b[0], b[2]),
                between(byX, 0, b[0], 1, b[1], b[3]),
            });
        }

        /** The distinct values of coordinate {@code other} of the points whose {@code fixed} coordinate equals v, strictly inside (lo, hi). */
        private double[] between(double[][] sorted, int fixed, double v, int other, double lo, double hi) {
            int from = lowerBound(sorted, fixed, v, other, lo);
            double[] out = new double[8];
            int n = 0;
            double last = Double.NaN;
            for (int k = from; k < sorted.length && sorted[k][fixed] == v && sorted[k][other] < hi; k++) {
                double o = sorted[k][other];
                if (o > lo && o != last) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = o;
                    last = o;
                }
            }
            return Arrays.copyOf(out, n);
        }

        private int lowerBound(double[][] sorted, int fixed, double v, int other, double lo) {
            int a = 0;
            int b = sorted.length;
            while (a < b) {
                int m = (a + b) >>> 1;
                double[] p = sorted[m];
                boolean less = p[fixed] < v || (p[fixed] == v && p[other] <= lo);
                if (less) {
                    a = m + 1;
                } else {
                    b = m;
                }
            }
            return a;
        }

        private void addLinear(int commune, byte kind, double x0, double y0, double x1, double y1,
                               double[] south, double[] east, double[] north, double[] west, int line, boolean vertical) {
            GeneratedParcel parcel = ring(x0, y0, x1, y1, south, east, north, west);
            DistrictProfile.Commune c = profile.communes().get(commune);
            parcel.communeCode = c.code();
            parcel.linear = true;
            parcel.landUse = (kind == ROAD ? LandUse.DGT : kind == CANAL ? LandUse.DTL : LandUse.SON).name();
            parcel.address = line < 0 ? c.name() : lineName(kind, line, vertical) + ", " + c.name();
            parcels.add(parcel);
        }

        /** A counter-clockwise closed ring round the rectangle, with the given extra vertices on each side (ascending). */
        private GeneratedParcel ring(double x0, double y0, double x1, double y1,
                                     double[] southNodes, double[] eastNodes, double[] northNodes, double[] westNodes) {
            double[] south = withGrid(southNodes, x0, x1);
            double[] east = withGrid(eastNodes, y0, y1);
            double[] north = withGrid(northNodes, x0, x1);
            double[] west = withGrid(westNodes, y0, y1);
            int n = 4 + south.length + east.length + north.length + west.length + 1;
            double[] xy = new double[n * 2];
            int k = 0;
            k = put(xy, k, x0, y0);
            for (double x : south) {
                k = put(xy, k, x, y0);
            }
            k = put(xy, k, x1, y0);
            for (double y : east) {
                k = put(xy, k, x1, y);
            }
            k = put(xy, k, x1, y1);
            for (int m = north.length - 1; m >= 0; m--) {
                k = put(xy, k, north[m], y1);
            }
            k = put(xy, k, x0, y1);
            for (int m = west.length - 1; m >= 0; m--) {
                k = put(xy, k, x0, west[m]);
            }
            put(xy, k, x0, y0);
            GeneratedParcel p = new GeneratedParcel();
            p.rings = new double[][] {xy};
            double[] label = place((x0 + x1) / 2, (y0 + y1) / 2);
            p.labelX = label[0];
            p.labelY = label[1];
            p.southEdgeEnd = 1 + south.length;
            return p;
        }

        /**
         * Adds vertices at the multiples of {@link #GRID_STEP} strictly inside (lo, hi) to the side's nodes. They
         * depend on the line and the position only, so two parcels sharing a side get the same ones: the warp
         * then bends long sides alike on both parcels, and no thin parcel crosses itself.
         */
        private double[] withGrid(double[] nodes, double lo, double hi) {
            long first = (long) Math.floor(lo / GRID_STEP) + 1;
            long last = (long) Math.ceil(hi / GRID_STEP) - 1;
            if (last < first) {
                return nodes;
            }
            double[] out = new double[nodes.length + (int) (last - first + 1)];
            int n = 0;
            int k = 0;
            for (long g = first; g <= last; g++) {
                double v = g * GRID_STEP;
                if (v <= lo + 0.25 || v >= hi - 0.25) {
                    continue;
                }
                while (k < nodes.length && nodes[k] < v) {
                    out[n++] = nodes[k++];
                }
                boolean near = (k < nodes.length && nodes[k] - v < 0.25) || (n > 0 && v - out[n - 1] < 0.25);
                if (!near) {
                    out[n++] = v;
                }
            }
            while (k < nodes.length) {
                out[n++] = nodes[k++];
            }
            return Arrays.copyOf(out, n);
        }

        private int put(double[] xy, int k, double x, double y) {
            double[] p = place(x, y);
            xy[k] = p[0];
            xy[k + 1] = p[1];
            return k + 2;
        }

        private String address(Piece p, int i, int j, DistrictProfile.Commune c) {
            if (p.frontSide() < 0 || !(p.use() == LandUse.ODT || p.use() == LandUse.ONT || p.use() == LandUse.TMD)) {
                return hamlet(i, j, c);
            }
            // the street in front of the lot, house numbers odd on one side and even on the other
            int line;
            boolean vertical;
            double along;
            switch (p.frontSide()) {
                case 0 -> { line = j; vertical = false; along = p.x0() - xs[0]; }
                case 2 -> { line = j + 1; vertical = false; along = p.x0() - xs[0]; }
                case 1 -> { line = i + 1; vertical = true; along = p.y0() - ys[0]; }
                default -> { line = i; vertical = true; along = p.y0() - ys[0]; }
            }
            byte kind = vertical ? xkind[line] : ykind[line];
            if (kind != ROAD || !c.urban()) {
                return hamlet(i, j, c);
            }
            int number = 2 * (int) (along / 5) + (p.frontSide() == 0 || p.frontSide() == 3 ? 1 : 2);
            return number + " " + lineName(kind, line, vertical) + ", " + c.name();
        }

        private String hamlet(int i, int j, DistrictProfile.Commune c) {
            if (c.urban()) {
                return "Khu phố " + (1 + Math.floorMod(i * 7 + j * 3, 9)) + ", " + c.name();
            }
            return "Ấp " + Names.HAMLETS[Math.floorMod(i / 3 * 31 + j / 3 * 17, Names.HAMLETS.length)] + ", " + c.name();
        }

        private String lineName(byte kind, int line, boolean vertical) {
            int h = Math.floorMod(line * 7 + (vertical ? 3 : 11), 1 << 16);
            return switch (kind) {
                case RIVER -> Names.RIVERS[h % Names.RIVERS.length];
                case CANAL -> Names.CANALS[h % Names.CANALS.length];
                default -> "Đường " + Names.STREETS[h % Names.STREETS.length];
            };
        }
    }
}
