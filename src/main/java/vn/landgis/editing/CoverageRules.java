package vn.landgis.editing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateList;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.LineSegment;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.geom.TopologyException;
import org.locationtech.jts.operation.overlay.snap.GeometrySnapper;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * The topology rules of an edit, on JTS geometries in the storage CRS (metres): snapping drawn geometries onto
 * the neighbourhood, noding neighbours where a new boundary meets theirs, and the checks (validity, minimum area,
 * overlap, gap, exact cover of the parents). Every violation carries a point where it happens. Stateless.
 *
 * <p>Tolerances: vertices within {@code snapToleranceM} of a neighbour's (or the edited parcel's old) vertex or edge
 * are moved onto it; overlaps and gaps up to {@code sliverM2} are rounding noise. A neighbour is noded with a
 * tolerance of a millimetre: only vertices that lie on its edge are inserted, its own stay where they are.
 */
final class CoverageRules {

    /** Vertices of new boundaries closer than this to a neighbour's edge lie on it (metres). */
    static final double NODE_TOLERANCE_M = 0.001;

    private final EditingProperties properties;
    private final GeometryFactory factory;

    CoverageRules(EditingProperties properties, GeometryFactory factory) {
        this.properties = properties;
        this.factory = factory;
    }

    /** {@code g} with its vertices snapped to the vertices and edges of {@code reference} within the snap tolerance. */
    Geometry snap(Geometry g, Collection<Geometry> reference) {
        if (reference.isEmpty()) {
            return g;
        }
        Geometry target = factory.buildGeometry(nearby(g, reference, properties.snapToleranceM()));
        if (target.isEmpty()) {
            return g;
        }
        Geometry snapped = new GeometrySnapper(g).snapTo(target, properties.snapToleranceM());
        snapped.setSRID(g.getSRID());
        return snapped;
    }

    /**
     * {@code neighbour} with the vertices of {@code edited} that lie on its edges (within {@link #NODE_TOLERANCE_M})
     * inserted, its own vertices untouched; the very same object when none does.
     */
    Geometry node(Geometry neighbour, Collection<Geometry> edited) {
        List<Geometry> near = nearby(neighbour, edited, NODE_TOLERANCE_M);
        if (near.isEmpty()) {
            return neighbour;
        }
        Envelope env = neighbour.getEnvelopeInternal().copy();
        env.expandBy(NODE_TOLERANCE_M);
        List<Coordinate> candidates = new ArrayList<>();
        for (Geometry g : near) {
            for (Coordinate c : g.getCoordinates()) {
                if (env.contains(c)) {
                    candidates.add(c);
                }
            }
        }
        boolean[] inserted = {false};
        List<Polygon> polygons = new ArrayList<>();
        for (int i = 0; i < neighbour.getNumGeometries(); i++) {
            Polygon p = (Polygon) neighbour.getGeometryN(i);
            LinearRing shell = nodeRing(p.getExteriorRing(), candidates, inserted);
            LinearRing[] holes = new LinearRing[p.getNumInteriorRing()];
            for (int h = 0; h < holes.length; h++) {
                holes[h] = nodeRing(p.getInteriorRingN(h), candidates, inserted);
            }
            polygons.add(factory.createPolygon(shell, holes));
        }
        if (!inserted[0]) {
            return neighbour;
        }
        Geometry noded = neighbour instanceof Polygon ? polygons.getFirst() : factory.createMultiPolygon(polygons.toArray(Polygon[]::new));
        noded.setSRID(neighbour.getSRID());
        return noded;
    }

    private LinearRing nodeRing(LinearRing ring, List<Coordinate> candidates, boolean[] inserted) {
        Coordinate[] c = ring.getCoordinates();
        CoordinateList out = new CoordinateList();
        for (int i = 0; i + 1 < c.length; i++) {
            out.add(c[i], false);
            LineSegment segment = new LineSegment(c[i], c[i + 1]);
            List<Coordinate> on = new ArrayList<>();
            for (Coordinate k : candidates) {
                double f = segment.projectionFactor(k);
                if (f > 0 && f < 1 && !k.equals2D(c[i]) && !k.equals2D(c[i + 1]) && segment.distance(k) <= NODE_TOLERANCE_M) {
                    on.add(k);
                }
            }
            on.sort(java.util.Comparator.comparingDouble(segment::projectionFactor));
            for (Coordinate k : on) {
                if (!out.getCoordinate(out.size() - 1).equals2D(k)) {
                    out.add(new Coordinate(k), false);
                    inserted[0] = true;
                }
            }
        }
        out.closeRing();
        return factory.createLinearRing(out.toCoordinateArray());
    }

    private static List<Geometry> nearby(Geometry g, Collection<Geometry> others, double distance) {
        var env = g.getEnvelopeInternal().copy();
        env.expandBy(distance);
        List<Geometry> out = new ArrayList<>();
        for (Geometry o : others) {
            if (o.getEnvelopeInternal().intersects(env) && o.isWithinDistance(g, distance)) {
                out.add(o);
            }
        }
        return out;
    }

    /** A polygon (or multipolygon) that is valid and not too small. */
    void checkShape(Geometry g, Long versionId, boolean minimumArea, List<Violation> out) {
        if (!(g instanceof Polygonal) || g.isEmpty()) {
            out.add(new Violation("invalid-geometry", "Phải là vùng (Polygon, MultiPolygon) / must be a polygon, found "
                    + g.getGeometryType(), point(g.isEmpty() ? null : g.getCoordinate()), versionId));
            return;
        }
        TopologyValidationError error = new IsValidOp(g).getValidationError();
        if (error != null) {
            out.add(new Violation("invalid-geometry", "Hình không hợp lệ / invalid geometry: " + error.getMessage(),
                    point(error.getCoordinate()), versionId));
            return;
        }
        if (minimumArea && g.getArea() < properties.minParcelAreaM2()) {
            out.add(new Violation("area-below-minimum", String.format(Locale.ROOT,
                    "Diện tích %s m² nhỏ hơn tối thiểu %s m² / area %.2f m² below the minimum of %.2f m²", vn.landgis.platform.VietnameseNumbers.format(g.getArea(), 2),
                    vn.landgis.platform.VietnameseNumbers.format(properties.minParcelAreaM2(), 2), g.getArea(), properties.minParcelAreaM2()), g.getInteriorPoint(), versionId));
        }
    }

    /** Overlap of {@code a} and {@code b} beyond the sliver tolerance. */
    void checkOverlap(Geometry a, Geometry b, Long otherVersion, List<Violation> out) {
        if (!a.getEnvelopeInternal().intersects(b.getEnvelopeInternal())) {
            return;
        }
        Geometry overlap = overlay(a, b, OverlayNG.INTERSECTION);
        if (overlap != null && overlap.getArea() > properties.sliverM2()) {
            out.add(new Violation("overlap", String.format(Locale.ROOT, "Chồng lấn %s m² / overlaps by %.2f m²", vn.landgis.platform.VietnameseNumbers.format(overlap.getArea(), 2),
                    overlap.getArea()), largest(overlap).getInteriorPoint(), otherVersion));
        }
    }

    /** The new parcels cover exactly what the old ones covered. */
    void checkCover(Geometry oldUnion, Geometry newUnion, List<Violation> out) {
        Geometry lost = overlay(oldUnion, newUnion, OverlayNG.DIFFERENCE);
        Geometry gained = overlay(newUnion, oldUnion, OverlayNG.DIFFERENCE);
        for (Geometry d : new Geometry[] {lost, gained}) {
            if (d != null && d.getArea() > properties.sliverM2()) {
                out.add(new Violation("children-cover-parent", String.format(Locale.ROOT,
                        "Các thửa mới không phủ đúng thửa cũ: %s %s m² / the new parcels do not cover the old ones exactly: %.2f m² %s",
                        d == lost ? "thiếu" : "thừa", vn.landgis.platform.VietnameseNumbers.format(d.getArea(), 2), d.getArea(), d == lost ? "left out" : "added"),
                        largest(d).getInteriorPoint(), null));
            }
        }
    }

    /** Land the old versions covered, that a neighbour borders, and that the new ones leave uncovered: a new gap. */
    void checkGaps(Geometry oldUnion, Geometry newUnion, Collection<Version> neighbours, List<Violation> out) {
        Geometry lost = overlay(oldUnion, newUnion, OverlayNG.DIFFERENCE);
        if (lost == null) {
            return;
        }
        for (int i = 0; i < lost.getNumGeometries(); i++) {
            Geometry part = lost.getGeometryN(i);
            if (part.getArea() <= properties.sliverM2()) {
                continue;
            }
            for (Version n : neighbours) {
                if (n.geom().isWithinDistance(part, properties.snapToleranceM())) {
                    out.add(new Violation("gap", String.format(Locale.ROOT,
                            "Để hở %s m² cạnh thửa %d / leaves a gap of %.2f m² next to parcel %d", vn.landgis.platform.VietnameseNumbers.format(part.getArea(), 2), n.parcelNo(),
                            part.getArea(), n.parcelNo()), part.getInteriorPoint(), n.id()));
                    break;
                }
            }
        }
    }

    Geometry union(Collection<Geometry> parts) {
        Geometry all = factory.buildGeometry(parts);
        Geometry u = parts.size() == 1 ? parts.iterator().next() : OverlayNGRobust.union(all);
        u.setSRID(factory.getSRID());
        return u;
    }

    private Geometry overlay(Geometry a, Geometry b, int op) {
        try {
            return OverlayNGRobust.overlay(a, b, op);
        } catch (TopologyException e) {
            return null;
        }
    }

    private static Geometry largest(Geometry g) {
        Geometry best = g;
        double area = -1;
        for (int i = 0; i < g.getNumGeometries(); i++) {
            if (g.getGeometryN(i).getArea() > area) {
                area = g.getGeometryN(i).getArea();
                best = g.getGeometryN(i);
            }
        }
        return best;
    }

    Point point(Coordinate c) {
        return c == null ? null : factory.createPoint(c);
    }
}
