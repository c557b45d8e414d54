package vn.landgis.imports;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.geom.util.PolygonExtracter;
import org.locationtech.jts.index.quadtree.Quadtree;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.locationtech.jts.operation.relateng.RelateNG;
import org.locationtech.jts.operation.relateng.RelatePredicate;
import org.locationtech.jts.operation.union.UnaryUnionOp;

/**
 * Overlaps and gaps between the parcels of a batch, computed per map sheet on a worker thread while the reader
 * goes on with the next sheet (sheets come one after the other in the files district tools write, and in the
 * generated ones). Within a sheet, JTS's {@link CoverageValidator} finds the parcels whose edges do not match their
 * neighbours'; only those are intersected pairwise, as {@code ST_Overlaps} / {@code ST_Intersection} would. Each sheet's
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
    record Overlap(int aNo, String commune, int sheet, int parcel, int bNo, int bSheet, int bParcel, double area, double x, double y) {
    }

    /** One gap: a hole in the union of the parcels; its area and a point inside. */
    record Gap(double area, double x, double y) {
    }

    private record Parcel(int featureNo, int parcelNo, Geometry geometry) {
    }

    private record SheetResult(String key, List<Overlap> overlaps, Geometry union) {
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

    SheetCoverage(GeometryFactory factory) {
        this.factory = factory;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sheet-coverage");
            t.setDaemon(true);
            return t;
        });
    }

    /** The next parcel of the file, in the storage CRS (valid: repaired if the delivered one was not). */
    void add(int featureNo, String commune, Integer sheet, Integer parcel, Geometry geometry) {
        if (!usable || geometry == null || geometry.isEmpty()) {
            return;
        }
        if (commune == null || sheet == null) {
            unusable("a parcel without commune or sheet");
            return;
        }
        if (!commune.equals(this.commune) || !sheet.equals(this.sheet)) {
            submit();
            this.commune = commune;
            this.sheet = sheet;
            if (!seen.add(commune + "/" + sheet)) {
                unusable("sheet " + commune + "/" + sheet + " comes in more than one run of the file");
                return;
            }
        }
        current.add(new Parcel(featureNo, parcel == null ? 0 : parcel, geometry));
        if (current.size() > MAX_SHEET) {
            unusable("sheet " + commune + "/" + sheet + " holds more than " + MAX_SHEET + " parcels");
        }
    }

    /** Gives the coverage up to the SQL checks (a parcel whose geometry the checks could not build, ...). */
    void unusable(String reason) {
        usable = false;
        unusableReason = reason;
        current = new ArrayList<>();
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
        worker.shutdown();
        try {
            for (Future<SheetResult> f : results) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            unusable("coverage check failed: " + e.getCause());
        }
    }

    boolean usable() {
        return usable;
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
        // the sheets tile the district edge to edge: a coverage union (edges matched, no overlay) is linear; where they
        // overlap or are not noded alike its area tells (a coverage's union has the sum of its parts' areas), and the
        // general union does it
        double sum = unions.stream().mapToDouble(Geometry::getArea).sum();
        Geometry all;
        try {
            all = org.locationtech.jts.coverage.CoverageUnion.union(unions.toArray(Geometry[]::new));
            if (Math.abs(all.getArea() - sum) > 1e-9 * sum + 0.001) {
                all = null;
            }
        } catch (RuntimeException e) {
            all = null;
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

    private SheetResult sheet(String key, String commune, int sheet, List<Parcel> parcels) {
        Geometry[] geometries = new Geometry[parcels.size()];
        for (int i = 0; i < geometries.length; i++) {
            geometries[i] = parcels.get(i).geometry();
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
            try {
                union = org.locationtech.jts.coverage.CoverageUnion.union(geometries);
            } catch (RuntimeException e) {
                union = null;   // not noded as a coverage (a moved boundary's T-junction): the general union below
            }
        }
        if (union == null) {
            union = UnaryUnionOp.union(java.util.Arrays.asList(geometries));
        }
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
        done.insert(extent, new DoneSheet(key, union));   // not the prepared relate: its indexes would stay for every sheet
        return new SheetResult(key, overlaps, union);
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
