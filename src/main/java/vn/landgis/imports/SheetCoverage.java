package vn.landgis.imports;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.locationtech.jts.algorithm.Area;
import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.geom.impl.PackedCoordinateSequence;
import org.locationtech.jts.geom.impl.PackedCoordinateSequenceFactory;
import org.locationtech.jts.geom.util.GeometryEditor;
import org.locationtech.jts.geom.util.PolygonExtracter;
import org.locationtech.jts.index.quadtree.Quadtree;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.locationtech.jts.operation.relateng.RelateNG;
import org.locationtech.jts.operation.relateng.RelatePredicate;
import org.locationtech.jts.operation.union.UnaryUnionOp;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.shape.fractal.HilbertCode;

/**
 * Overlaps and gaps between the parcels of a batch, computed per map sheet on a worker thread while the reader
 * goes on with the next sheet (sheets come one after the other in the files district tools write, and in the
 * generated ones). A sheet that {@link EdgeMatch} proves free of overlaps by matching its parcels' edges (a clean
 * sheet: the rule in a delivery) needs nothing more. On any other, JTS's {@link CoverageValidator} finds the parcels
 * whose edges do not match their neighbours'; only those are intersected pairwise, as {@code ST_Overlaps} /
 * {@code ST_Intersection} would. Each sheet's
 * union is kept (a few hundred vertices of outline) for the gaps, which are the holes in the union of all sheets
 * not found misplaced, and is compared with the sheets done before: only sheets whose unions overlap need the
 * cross-sheet check of their parcels, which is SQL.
 *
 * <p>Geometries in the storage CRS, metres. When the sheets are not contiguous in the file, a sheet holds more than
 * {@link #MAX_SHEET} parcels or a parcel has no sheet, {@link #usable()} is false and the SQL checks do the work.
 *
 * <p>{@link #add} and {@link #finish} from one thread (the reader); the sheets are processed on one worker thread.
 */
final class SheetCoverage implements AutoCloseable {

    /** A sheet larger than this is left to PostGIS (a delivery that is not split into sheets). */
    static final int MAX_SHEET = 50_000;

    /** One overlap between two parcels, {@code a} the one first in the file, as the SQL reports it. */
    record Overlap(int aNo, String commune, int sheet, Integer parcel, int bNo, int bSheet, Integer bParcel, double area, double x, double y) {
    }

    /** One gap: a hole in the union of the parcels; its area and a point inside. */
    record Gap(double area, double x, double y) {
    }

    private record Parcel(int featureNo, Integer parcelNo, Geometry geometry) {
    }

    private record SheetResult(String key, List<Overlap> overlaps, Geometry union, Envelope extent, double area) {
    }

    /** Two sheets whose unions overlap (interiors meet): their parcels need the parcel-by-parcel check. m². */
    record SheetOverlap(String a, String b, double area) {
    }

    private record DoneSheet(String key, Geometry union) {
    }

    private final GeometryFactory factory;
    private final ExecutorService worker;
    /** At most this many sheets wait for the worker: a reader faster than the checks waits, the heap stays flat. */
    private final java.util.concurrent.Semaphore waiting = new java.util.concurrent.Semaphore(3);
    /** The sheets done so far, by extent, with their unions: the worker's alone. */
    private final Quadtree done = new Quadtree();
    private final List<SheetOverlap> sheetOverlaps = new ArrayList<>();
    private final List<Future<SheetResult>> results = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private String commune;
    private Integer sheet;
    private List<Parcel> current = new ArrayList<>();
    private boolean usable = true;
    private String unusableReason = "";

    /** Whether sheets may be proved clean by {@link EdgeMatch} before (instead of) the validator. */
    private final boolean fastPath;
    private final AtomicInteger provedClean = new AtomicInteger();
    /** Whether the parcels come transformed from their delivered CRS, so that their validity is to be checked again. */
    private final boolean revalidate;
    /** The features found invalid after the transform (valid as delivered), repaired here with JTS. */
    private final java.util.Queue<Integer> brokenByTransform = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Parcels the coverage gave up on, waiting for their re-check only; the jobs doing it. */
    private List<Parcel> recheck = new ArrayList<>();
    private final List<Future<?>> rechecks = new ArrayList<>();
    private boolean recheckComplete = true;
    static final int RECHECK_CHUNK = 1000;

    SheetCoverage(GeometryFactory factory) {
        this(factory, true, false);
    }

    /** {@code fastPath} false: every sheet goes through {@link CoverageValidator} (the reference the proof is tested against). */
    SheetCoverage(GeometryFactory factory, boolean fastPath) {
        this(factory, fastPath, false);
    }

    /**
     * {@code revalidate}: the parcels were transformed after their validity was checked (a TM-3 zone into another);
     * a transform moves each vertex on its own, so a parcel whose vertex nearly touches another edge can come out
     * self-intersecting. Each sheet's worker checks them again ({@link #brokenByTransform()}) and repairs them
     * before the coverage checks, whose proof holds only for valid polygons.
     */
    SheetCoverage(GeometryFactory factory, boolean fastPath, boolean revalidate) {
        this.factory = factory;
        this.fastPath = fastPath;
        this.revalidate = revalidate;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sheet-coverage");
            t.setDaemon(true);
            return t;
        });
    }

    /** The next parcel of the file, in the storage CRS (valid: repaired if the delivered one was not). */
    void add(int featureNo, String commune, Integer sheet, Integer parcel, Geometry geometry) {
        if (geometry == null || geometry.isEmpty()) {
            return;
        }
        Parcel p = new Parcel(featureNo, parcel, geometry);   // no number: a missing-key error already
        if (usable && (commune == null || sheet == null)) {
            unusable("a parcel without commune or sheet");
        }
        if (usable && (!commune.equals(this.commune) || !sheet.equals(this.sheet))) {
            submit();
            this.commune = commune;
            this.sheet = sheet;
            if (!seen.add(commune + "/" + sheet)) {
                unusable("sheet " + commune + "/" + sheet + " comes in more than one run of the file");
            }
        }
        if (!usable) {
            recheck(p);
            return;
        }
        current.add(p);
        if (current.size() > MAX_SHEET) {
            unusable("sheet " + commune + "/" + sheet + " holds more than " + MAX_SHEET + " parcels");
        }
    }

    /**
     * Gives the coverage up to the SQL checks (a parcel whose geometry the checks could not build, ...); the
     * transformed parcels are still checked again, in chunks, so that {@link #brokenByTransform()} stays complete.
     */
    void unusable(String reason) {
        usable = false;
        unusableReason = reason;
        List<Parcel> pending = current;
        current = new ArrayList<>();
        pending.forEach(this::recheck);
    }

    /** Only the re-check of the transform, for a parcel the coverage does not take any more. */
    private void recheck(Parcel p) {
        if (!revalidate) {
            return;
        }
        recheck.add(p);
        if (recheck.size() >= RECHECK_CHUNK) {
            submitRecheck();
        }
    }

    private void submitRecheck() {
        if (recheck.isEmpty()) {
            return;
        }
        List<Parcel> parcels = recheck;
        recheck = new ArrayList<>();
        if (worker.isShutdown()) {
            recheckComplete = false;   // too late for the worker: the SQL scans the batch
            return;
        }
        waiting.acquireUninterruptibly();
        rechecks.add(worker.submit(() -> {
            try {
                for (Parcel p : parcels) {
                    if (!IsValidOp.isValid(p.geometry())) {
                        brokenByTransform.add(p.featureNo());
                    }
                }
            } finally {
                waiting.release();
            }
        }));
    }

    private void submit() {
        if (current.isEmpty() || !usable) {
            return;
        }
        List<Parcel> parcels = current;
        String key = commune + "/" + sheet;
        String c = commune;
        int s = sheet;
        current = new ArrayList<>();
        waiting.acquireUninterruptibly();
        results.add(worker.submit(() -> {
            try {
                return sheet(key, c, s, parcels);
            } finally {
                waiting.release();
            }
        }));
    }

    /** Waits for the last sheets; afterwards the results can be read. */
    void finish() {
        submit();
        submitRecheck();
        worker.shutdown();
        try {
            for (Future<?> f : rechecks) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            recheckComplete = false;
        }
        try {
            for (Future<SheetResult> f : results) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            recheckComplete = false;   // the failed sheet's parcels may not have been checked again
            unusable("coverage check failed: " + e.getCause());
        }
    }

    /** The sheets submitted so far. */
    int sheets() {
        return results.size();
    }

    /** The sheets that {@link EdgeMatch} proved free of overlaps, so that the validator did not run on them. */
    int provedClean() {
        return provedClean.get();
    }

    boolean usable() {
        return usable;
    }

    /**
     * After {@link #finish()}: the features valid as delivered but not after the transform into storage, in file
     * order, also when the coverage was given up (its parcels are checked again all the same); null when a job of
     * the worker failed, so that the list may be incomplete.
     */
    List<Integer> brokenByTransform() {
        return recheckComplete ? brokenByTransform.stream().sorted().toList() : null;
    }

    String unusableReason() {
        return unusableReason;
    }

    private List<SheetResult> done() {
        List<SheetResult> out = new ArrayList<>(results.size());
        for (Future<SheetResult> f : results) {
            out.add(f.resultNow());
        }
        return out;
    }

    /** A sheet's extent and the sum of its parcels' areas, in the storage CRS; {@code key} "commune/sheet". */
    record SheetStats(String key, Envelope extent, double area) {
    }

    /** Every sheet's {@link SheetStats}, after {@link #finish}. */
    List<SheetStats> sheetStats() {
        List<SheetStats> out = new ArrayList<>();
        for (SheetResult r : done()) {
            out.add(new SheetStats(r.key(), r.extent(), r.area()));
        }
        return out;
    }

    /** The overlaps within sheets, leaving out the sheets named in {@code misplaced} ("commune/sheet"). */
    List<Overlap> overlaps(Set<String> misplaced) {
        List<Overlap> out = new ArrayList<>();
        for (SheetResult r : done()) {
            if (!misplaced.contains(r.key())) {
                out.addAll(r.overlaps());
            }
        }
        return out;
    }

    /**
     * The pairs of sheets whose unions overlap. Every parcel lies in its sheet's union, so parcels of two sheets can
     * overlap only where their sheets do: sheets that meet edge to edge need no parcel-by-parcel check at all.
     */
    List<SheetOverlap> sheetOverlaps() {
        return sheetOverlaps;
    }

    /** The holes in the union of the sheets not misplaced, of at least {@code minArea} m². */
    List<Gap> gaps(Set<String> misplaced, double minArea) {
        List<Geometry> unions = new ArrayList<>();
        for (SheetResult r : done()) {
            if (!misplaced.contains(r.key()) && r.union() != null) {
                unions.add(r.union());
            }
        }
        List<Gap> out = new ArrayList<>();
        if (unions.isEmpty()) {
            return out;
        }
        // the sheets tile the district edge to edge: a coverage union (edges matched, no overlay) is linear; where two
        // of them overlap (a sheet moved back into place meets its neighbours only to the centimetre) it does not
        // hold, and where they are not noded alike its area tells (a coverage's union has the sum of its parts'
        // areas): the general union does it
        boolean overlapping = sheetOverlaps.stream().anyMatch(o -> !misplaced.contains(o.a()) && !misplaced.contains(o.b()));
        double sum = unions.stream().mapToDouble(Geometry::getArea).sum();
        Geometry all = null;
        if (!overlapping) {
            try {
                all = unionOfSheets(unions);
                if (Math.abs(all.getArea() - sum) > 1e-9 * sum + 0.001) {
                    all = null;
                }
            } catch (RuntimeException e) {
                all = null;
            }
        }
        if (all == null) {
            all = UnaryUnionOp.union(unions);
        }
        for (Object o : PolygonExtracter.getPolygons(all)) {
            Polygon p = (Polygon) o;
            for (int i = 0; i < p.getNumInteriorRing(); i++) {
                Polygon hole = factory.createPolygon(p.getInteriorRingN(i).getCoordinateSequence());
                double area = hole.getArea();
                if (area >= minArea) {
                    Point inside = hole.getInteriorPoint();
                    out.add(new Gap(area, inside.getX(), inside.getY()));
                }
            }
        }
        return out;
    }

    /** Sheets unioned together at a time by {@link #unionOfSheets}. */
    static final int UNION_GROUP = 16;

    /**
     * JTS's coverage union of the sheets' unions (edges matched, no overlay: it checks nothing, so the caller
     * compares areas; it may throw where the sheets are not noded alike), a group of {@link #UNION_GROUP} neighbours
     * at a time (in the order of their centres along a Hilbert curve),
     * then the groups' unions the same way: the edges two sheets share are gone after the first step, so each step
     * holds a fraction of the vertices of the one before. All 2 475 sheets of a 1 M-parcel district in one union
     * made every outline vertex a {@code Coordinate} with its noding at once, the import's peak heap
     * (bench/imports.md).
     */
    static Geometry unionOfSheets(List<Geometry> sheets) {
        List<Geometry> unions = sheets.stream().filter(u -> !u.isEmpty()).toList();
        if (unions.isEmpty()) {
            return sheets.getFirst();
        }
        Envelope all = new Envelope();
        unions.forEach(u -> all.expandToInclude(u.getEnvelopeInternal()));
        List<Geometry> level = new ArrayList<>(unions);
        level.sort(java.util.Comparator.comparingInt(u -> hilbert(u.getEnvelopeInternal().centre(), all)));
        while (level.size() > 1) {
            List<Geometry> next = new ArrayList<>((level.size() + UNION_GROUP - 1) / UNION_GROUP);
            for (int i = 0; i < level.size(); i += UNION_GROUP) {
                List<Geometry> group = level.subList(i, Math.min(level.size(), i + UNION_GROUP));
                next.add(group.size() == 1 ? group.getFirst() : org.locationtech.jts.coverage.CoverageUnion.union(group.toArray(Geometry[]::new)));
            }
            level = next;
        }
        return level.getFirst();
    }

    /** Where {@code c} lies along a Hilbert curve over {@code all}, on a grid of 1 024 by 1 024. */
    private static int hilbert(Coordinate c, Envelope all) {
        int side = 1 << 10;
        int ix = (int) Math.min(side - 1, (c.x - all.getMinX()) / Math.max(all.getWidth(), 1e-9) * side);
        int iy = (int) Math.min(side - 1, (c.y - all.getMinY()) / Math.max(all.getHeight(), 1e-9) * side);
        return HilbertCode.encode(10, ix, iy);
    }

    private SheetResult sheet(String key, String commune, int sheet, List<Parcel> parcels) {
        Geometry[] geometries = new Geometry[parcels.size()];
        for (int i = 0; i < geometries.length; i++) {
            geometries[i] = parcels.get(i).geometry();
            if (revalidate && !RingChecks.provablySimpleShell(geometries[i]) && !IsValidOp.isValid(geometries[i])) {
                geometries[i] = org.locationtech.jts.geom.util.GeometryFixer.fix(geometries[i]);
                brokenByTransform.add(parcels.get(i).featureNo());
            }
        }
        // the cheap proof first (see EdgeMatch); the coverage union it needs is the one a clean sheet keeps anyway
        Geometry coverageUnion = null;
        boolean coverageUnionTried = false;
        if (fastPath) {
            EdgeMatch edges = EdgeMatch.of(geometries);
            if (edges != null) {
                coverageUnion = coverageUnion(geometries);
                coverageUnionTried = true;
                if (coverageUnion != null && edges.unmatchedBound(coverageUnion)) {
                    provedClean.incrementAndGet();
                    return finishSheet(key, List.of(), coverageUnion, geometries);
                }
            }
        }
        Geometry[] invalid = CoverageValidator.validate(geometries);
        STRtree tree = new STRtree();
        for (int i = 0; i < geometries.length; i++) {
            tree.insert(geometries[i].getEnvelopeInternal(), i);
        }
        List<Overlap> overlaps = new ArrayList<>();
        Set<Long> pairs = new HashSet<>();
        boolean clean = true;
        for (int i = 0; i < geometries.length; i++) {
            if (invalid[i] == null) {
                continue;
            }
            clean = false;
            @SuppressWarnings("unchecked")
            List<Integer> near = tree.query(geometries[i].getEnvelopeInternal());
            for (int j : near) {
                if (j == i) {
                    continue;
                }
                int a = Math.min(i, j);
                int b = Math.max(i, j);
                if (!pairs.add((long) a << 32 | b)) {
                    continue;
                }
                Geometry ga = geometries[a];
                Geometry gb = geometries[b];
                if (!ga.getEnvelopeInternal().intersects(gb.getEnvelopeInternal()) || !RelateNG.relate(ga, gb, RelatePredicate.overlaps())) {
                    continue;
                }
                Geometry g = polygonal(OverlayNGRobust.overlay(ga, gb, OverlayNG.INTERSECTION));
                double area = g.getArea();
                if (area >= 0.01) {
                    Point inside = g.getInteriorPoint();
                    Parcel pa = parcels.get(a);
                    Parcel pb = parcels.get(b);
                    overlaps.add(new Overlap(pa.featureNo(), commune, sheet, pa.parcelNo(), pb.featureNo(), sheet, pb.parcelNo(), area,
                            inside.getX(), inside.getY()));
                }
            }
        }
        Geometry union = null;
        if (clean) {
            union = coverageUnionTried ? coverageUnion : coverageUnion(geometries);
        }
        if (union == null) {
            union = UnaryUnionOp.union(java.util.Arrays.asList(geometries));
        }
        return finishSheet(key, overlaps, union, geometries);
    }

    /** JTS's coverage union (edges matched, no overlay), or null where it fails. */
    private static Geometry coverageUnion(Geometry[] geometries) {
        try {
            return org.locationtech.jts.coverage.CoverageUnion.union(geometries);
        } catch (RuntimeException e) {
            return null;   // not noded as a coverage (a moved boundary's T-junction): the general union
        }
    }

    /**
     * A copy of a sheet's union with its coordinates packed two doubles a vertex (16 bytes instead of a 40-byte
     * {@code Coordinate} and its reference): every sheet's union is kept to the end, a third of a 1 M-parcel import's
     * live heap while reading (bench/imports.md). Same coordinates, bit for bit.
     */
    static Geometry packed(Geometry union) {
        GeometryEditor editor = new GeometryEditor(new GeometryFactory(
                union.getPrecisionModel(), union.getSRID(), PackedCoordinateSequenceFactory.DOUBLE_FACTORY));
        return editor.edit(union, new GeometryEditor.CoordinateSequenceOperation() {
            @Override
            public CoordinateSequence edit(CoordinateSequence sequence, Geometry geometry) {
                double[] xy = new double[sequence.size() * 2];
                for (int i = 0; i < sequence.size(); i++) {
                    xy[2 * i] = sequence.getX(i);
                    xy[2 * i + 1] = sequence.getY(i);
                }
                return new Uncached(xy);
            }
        });
    }

    /**
     * Packed coordinates that JTS does not turn back into {@code Coordinate}s for good: its packed sequence keeps
     * the array that {@code toCoordinateArray()} makes behind a soft reference, and the relate of every later
     * neighbouring sheet asks for it, so the unions were back to {@code Coordinate}s by the end (jmap).
     */
    static final class Uncached extends PackedCoordinateSequence.Double {

        Uncached(double[] xy) {
            super(xy, 2, 0);
        }

        @Override
        public Uncached copy() {
            return new Uncached(getRawCoordinates().clone());
        }

        @Override
        public Coordinate[] toCoordinateArray() {
            Coordinate[] out = new Coordinate[size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = new org.locationtech.jts.geom.CoordinateXY(getX(i), getY(i));
            }
            return out;
        }
    }

    private SheetResult finishSheet(String key, List<Overlap> overlaps, Geometry union, Geometry[] parcels) {
        // against the sheets done before: interiors meeting is the exception (tiếp biên errors, a misplaced sheet)
        org.locationtech.jts.geom.Envelope extent = union.getEnvelopeInternal();
        RelateNG relate = RelateNG.prepare(union);
        for (Object o : done.query(extent)) {
            DoneSheet other = (DoneSheet) o;
            if (other.union().getEnvelopeInternal().intersects(extent) && relate.evaluate(other.union(), "T********")) {
                double area = OverlayNGRobust.overlay(union, other.union(), OverlayNG.INTERSECTION).getArea();
                sheetOverlaps.add(new SheetOverlap(other.key(), key, area));
            }
        }
        Geometry kept = packed(union);
        done.insert(extent, new DoneSheet(key, kept));   // not the prepared relate: its indexes would stay for every sheet
        // the sheet's extent and parcel area, as the sheet placement's screen would otherwise aggregate them in SQL
        Envelope parcelsExtent = new Envelope();
        double area = 0;
        for (Geometry g : parcels) {
            parcelsExtent.expandToInclude(g.getEnvelopeInternal());
            area += g.getArea();
        }
        return new SheetResult(key, overlaps, kept, parcelsExtent, area);
    }

    /**
     * The proof that the parcels of a sheet do not overlap, much cheaper than {@link CoverageValidator} (which
     * nodes every parcel's boundary against its neighbours'): in a clean sheet the validator finds nothing, so a
     * proof that there is nothing to find lets the sheet skip it.
     *
     * <p>Each ring is taken with its parcel's interior on its left (shells counter-clockwise, holes clockwise by
     * JTS's robust {@link Orientation#isCCW}) and cut into directed segments, which are matched in a hash table by
     * their exact end points. The proof holds when
     * <ol>
     * <li>no segment occurs more than twice, and a segment that occurs twice does so in opposite directions
     * (an edge shared by the parcels on either side of it); and
     * <li>the sheet's coverage union U is a valid polygonal geometry ({@link IsValidOp}) whose directed boundary
     * segments (interior on the left, as above) are exactly the segments that occur once, each once.
     * </ol>
     * Valid here allows a ring that touches itself at a point to enclose a hole (an inverted shell, an exverted
     * hole: {@link IsValidOp#setSelfTouchingRingFormingHoleValid}): JTS's coverage union writes a gap that meets
     * the sheet's outline at a vertex that way (a tenth of the sheets of a generated district). Such a ring is
     * weakly simple (it touches, never crosses), so a move as small as one likes makes it simple without changing
     * any winding number off it: the winding numbers below hold for it as for a simple ring, oriented by the sign
     * of its area.
     * Why that is enough. For a valid polygon P with its rings so oriented, the winding number of its boundary
     * around a point p on none of the segments is 1 inside P and 0 outside: w(∂P, p) = 1[p ∈ P] (the parts of a
     * valid multipolygon have disjoint interiors, so it holds for one too). Winding numbers add over chains of
     * directed segments, so the number of parcels holding p is f(p) = Σᵢ 1[p ∈ Pᵢ] = w(Σᵢ ∂Pᵢ, p). In that chain a
     * segment occurring twice in opposite directions cancels, which leaves the chain C of the segments that occur
     * once: f(p) = w(C, p) (and Σᵢ area(Pᵢ) = ∫ f). By (2) C = ∂U with U valid, so f(p) = w(∂U, p) = 1[p ∈ U] ≤ 1.
     * Two parcels whose interiors met would meet in an open set, which has points on no segment, where f ≥ 2. So
     * no two parcels overlap, none holds another and none is repeated: the pairs that the validator path
     * intersects would all be found without overlap, and its list is empty too. U holds exactly the covered
     * points, so it is the sheet's union, the one the validator path would keep.
     *
     * <p>Whatever overlaps fails the proof (f = 2 somewhere cannot equal 1[p ∈ U]), however small, and goes to the
     * validator: a repeated parcel (its segments occur twice in the same direction), parcels tiling a region inside
     * another parcel (all their inner segments match, and so do the large parcel's, but their outline is left in C
     * inside U), a sliver. So do the sheets whose edges are not noded alike even without an overlap: a T-junction
     * or a vertex moved along an edge leaves segments in C that no valid U has on its boundary (U lies on both of
     * their sides), and a coverage union that JTS cannot build. Gaps (holes of U), a parcel with a hole with or
     * without an island parcel in it, multipolygons and parcels touching at one vertex pass when their edges
     * match. Only exact comparisons of the input coordinates and JTS's robust predicates are used: no tolerance.
     * The parcels are assumed valid polygons, as {@link #add} and the validator do.
     *
     * <p>One instance per sheet, on the worker thread.
     */
    static final class EdgeMatch {

        /** The state of a segment: met once in its canonical direction or against it, matched, or found on U's boundary. */
        private static final byte FORWARD = 1;
        private static final byte BACKWARD = -1;
        private static final byte MATCHED = 0;
        private static final byte ON_BOUNDARY = 2;

        /** The segments, end points in canonical order ((ax, ay) before (bx, by), by x then y). */
        private final double[] ax;
        private final double[] ay;
        private final double[] bx;
        private final double[] by;
        private final byte[] state;
        /** Open addressing: a segment's index + 1, 0 for free. */
        private final int[] slots;
        private int count;
        /** The segments met once. */
        private int once;

        private EdgeMatch(int points) {
            ax = new double[points];
            ay = new double[points];
            bx = new double[points];
            by = new double[points];
            state = new byte[points];
            slots = new int[Integer.highestOneBit(Math.max(points, 8) * 2) * 2];
        }

        /** The segments of the parcels matched, or null when condition (1) fails or a parcel is not polygonal. */
        static EdgeMatch of(Geometry[] parcels) {
            int points = 0;
            for (Geometry g : parcels) {
                if (!(g instanceof Polygon || g instanceof MultiPolygon)) {
                    return null;
                }
                points += g.getNumPoints();
            }
            EdgeMatch match = new EdgeMatch(points);
            try {
                for (Geometry g : parcels) {
                    for (int p = 0; p < g.getNumGeometries(); p++) {
                        Polygon polygon = (Polygon) g.getGeometryN(p);
                        if (!match.ring(polygon.getExteriorRing().getCoordinateSequence(), true)) {
                            return null;
                        }
                        for (int h = 0; h < polygon.getNumInteriorRing(); h++) {
                            if (!match.ring(polygon.getInteriorRingN(h).getCoordinateSequence(), false)) {
                                return null;
                            }
                        }
                    }
                }
            } catch (RuntimeException e) {
                return null;   // a ring JTS cannot orient: not a valid polygon, the validator decides
            }
            return match;
        }

        /** Condition (2): whether the segments met once are exactly the directed boundary of {@code union}, valid. */
        boolean unmatchedBound(Geometry union) {
            if (!(union instanceof Polygonal) || union.isEmpty()) {
                return false;
            }
            IsValidOp valid = new IsValidOp(union);
            valid.setSelfTouchingRingFormingHoleValid(true);
            if (!valid.isValid()) {
                return false;
            }
            int found = 0;
            for (int p = 0; p < union.getNumGeometries(); p++) {
                Polygon polygon = (Polygon) union.getGeometryN(p);
                int onRing = boundary(polygon.getExteriorRing().getCoordinateSequence(), true);
                if (onRing < 0) {
                    return false;
                }
                found += onRing;
                for (int h = 0; h < polygon.getNumInteriorRing(); h++) {
                    onRing = boundary(polygon.getInteriorRingN(h).getCoordinateSequence(), false);
                    if (onRing < 0) {
                        return false;
                    }
                    found += onRing;
                }
            }
            return found == once;
        }

        /** Adds a parcel's ring; false when a segment breaks condition (1). */
        private boolean ring(CoordinateSequence ring, boolean shell) {
            int n = ring.size();
            if (n == 0) {
                return true;
            }
            boolean reversed = Orientation.isCCW(ring) != shell;
            for (int i = 0; i + 1 < n; i++) {
                double x0 = ring.getX(i);
                double y0 = ring.getY(i);
                double x1 = ring.getX(i + 1);
                double y1 = ring.getY(i + 1);
                if (x0 == x1 && y0 == y1) {
                    continue;   // a repeated point: no segment
                }
                boolean ok = reversed ? add(x1, y1, x0, y0) : add(x0, y0, x1, y1);
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        private boolean add(double px, double py, double qx, double qy) {
            boolean forward = px < qx || px == qx && py < qy;
            byte direction = forward ? FORWARD : BACKWARD;
            int slot = find(forward ? px : qx, forward ? py : qy, forward ? qx : px, forward ? qy : py);
            int k = slots[slot] - 1;
            if (k >= 0) {
                if (state[k] != -direction) {
                    return false;   // again in the same direction, or a third time
                }
                state[k] = MATCHED;
                once--;
                return true;
            }
            k = count++;
            ax[k] = forward ? px : qx;
            ay[k] = forward ? py : qy;
            bx[k] = forward ? qx : px;
            by[k] = forward ? qy : py;
            state[k] = direction;
            slots[slot] = k + 1;
            once++;
            return true;
        }

        /** Marks the directed segments of one of U's rings; their number, or -1 when one was not met once in that direction. */
        private int boundary(CoordinateSequence ring, boolean shell) {
            int n = ring.size();
            if (n == 0) {
                return 0;
            }
            // U's rings may touch themselves (see the class doc), for which isCCW is not guaranteed: the sign of the
            // area is, unless the area is within the rounding of the shoelace sum (never for a sheet's outline)
            double area = Area.ofRingSigned(ring);   // positive when clockwise
            Envelope extent = ring.expandEnvelope(new Envelope());
            double size = extent.getWidth() + extent.getHeight();
            double magnitude = Math.max(Math.abs(extent.getMaxX()), Math.abs(extent.getMinY())) + Math.abs(extent.getMaxY()) + size;
            if (!(Math.abs(area) > 1e-13 * n * size * magnitude)) {
                return -1;   // a bound of the sum's rounding (about n · size · magnitude · ε), with room to spare
            }
            boolean reversed = (area < 0) != shell;
            int found = 0;
            for (int i = 0; i + 1 < n; i++) {
                double px = ring.getX(reversed ? i + 1 : i);
                double py = ring.getY(reversed ? i + 1 : i);
                double qx = ring.getX(reversed ? i : i + 1);
                double qy = ring.getY(reversed ? i : i + 1);
                if (px == qx && py == qy) {
                    continue;
                }
                boolean forward = px < qx || px == qx && py < qy;
                int k = slots[find(forward ? px : qx, forward ? py : qy, forward ? qx : px, forward ? qy : py)] - 1;
                if (k < 0 || state[k] != (forward ? FORWARD : BACKWARD)) {
                    return -1;
                }
                state[k] = ON_BOUNDARY;   // so that a second pass over it fails
                found++;
            }
            return found;
        }

        /** The slot of the segment (a, b), or the free slot where it would go. */
        private int find(double x0, double y0, double x1, double y1) {
            long h = bits(x0);
            h = h * 0x9E3779B97F4A7C15L + bits(y0);
            h = h * 0x9E3779B97F4A7C15L + bits(x1);
            h = h * 0x9E3779B97F4A7C15L + bits(y1);
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            int mask = slots.length - 1;
            for (int i = (int) h & mask; ; i = (i + 1) & mask) {
                int k = slots[i] - 1;
                if (k < 0 || ax[k] == x0 && ay[k] == y0 && bx[k] == x1 && by[k] == y1) {
                    return i;
                }
            }
        }

        /** The bits of a coordinate, -0.0 as 0.0 (they compare equal). */
        private static long bits(double v) {
            return Double.doubleToLongBits(v + 0.0);
        }
    }

    private Geometry polygonal(Geometry g) {
        if (g instanceof Polygonal) {
            return g;
        }
        @SuppressWarnings("unchecked")
        List<Polygon> polygons = PolygonExtracter.getPolygons(g);
        return factory.buildGeometry(polygons);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
