package vn.landgis.editing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Lineal;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.locationtech.jts.operation.polygonize.Polygonizer;

/**
 * Cuts a parcel into pieces by a drawn line (the line may overshoot the boundary; a dangling end inside the parcel
 * cuts nothing) or by a polygon (the parts inside and outside it). The pieces share the vertices where the cut
 * meets the boundary, so together they cover the parcel exactly. Pieces come in reading order of the map (north
 * to south, then west to east), which is the order new numbers are given in. Stateless.
 */
final class ParcelCutter {

    private ParcelCutter() {
    }

    static List<Polygon> cut(Geometry parcel, Geometry cut) {
        List<Polygon> pieces = new ArrayList<>();
        if (cut instanceof Polygonal) {
            for (int op : new int[] {OverlayNG.INTERSECTION, OverlayNG.DIFFERENCE}) {
                Geometry part = OverlayNGRobust.overlay(parcel, cut, op);
                for (int i = 0; i < part.getNumGeometries(); i++) {
                    if (part.getGeometryN(i) instanceof Polygon p && !p.isEmpty()) {
                        pieces.add(p);
                    }
                }
            }
        } else if (cut instanceof Lineal) {
            Geometry noded = OverlayNGRobust.overlay(parcel.getBoundary(), cut, OverlayNG.UNION);
            Polygonizer polygonizer = new Polygonizer();
            polygonizer.add(noded);
            for (Object o : polygonizer.getPolygons()) {
                Polygon p = (Polygon) o;
                if (parcel.contains(p.getInteriorPoint())) {
                    pieces.add(p);
                }
            }
        } else {
            throw EditRejected.invalid("invalid-cut", "Đường cắt phải là đường hoặc vùng / the cut must be a line or a polygon, found "
                    + cut.getGeometryType());
        }
        pieces.forEach(p -> p.setSRID(parcel.getSRID()));
        pieces.sort(Comparator.comparingDouble((Polygon p) -> -interior(p).getY()).thenComparingDouble(p -> interior(p).getX()));
        return pieces;
    }

    private static Point interior(Polygon p) {
        return p.getInteriorPoint();
    }
}
