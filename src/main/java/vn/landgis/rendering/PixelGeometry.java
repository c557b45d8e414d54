package vn.landgis.rendering;

import java.awt.geom.Path2D;

import org.locationtech.jts.algorithm.InteriorPoint;
import org.locationtech.jts.algorithm.locate.SimplePointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryCollection;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.linearref.LengthIndexedLine;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

/**
 * A feature's geometry in pixel space: polygons as one even-odd path (holes stay empty), lines as another, points
 * as coordinates. Built straight from the coordinate sequences, dropping vertices closer than a quarter pixel to
 * the previous kept one. Not thread-safe (one render's).
 */
final class PixelGeometry {

    /** Vertices closer than this (pixels, on both axes) to the previous kept vertex are dropped. */
    private static final double MIN_STEP = 0.25;

    final Geometry source;
    private final WorldToPixel t;
    Path2D.Double area;
    Path2D.Double lines;
    double[] points = new double[0];
    int pointCount;
    private Polygon largestPolygon;
    private double largestArea = -1;
    private LineString longestLine;
    private double longestLength = -1;
    private boolean anchorDone;
    private double anchorX;
    private double anchorY;
    private double polygonWidth = Double.NaN;
    private double polygonHeight = Double.NaN;

    /** Map -> pixel: x_px = (x - minx) * sx, y_px = (maxy - y) * sy; {@code canvas} is the map bbox. */
    record WorldToPixel(double minx, double maxy, double sx, double sy, Envelope canvas) {
        double x(double wx) {
            return (wx - minx) * sx;
        }

        double y(double wy) {
            return (maxy - wy) * sy;
        }
    }

    private PixelGeometry(Geometry source, WorldToPixel t) {
        this.source = source;
        this.t = t;
    }

    static PixelGeometry of(Geometry g, WorldToPixel t) {
        PixelGeometry pg = new PixelGeometry(g, t);
        pg.add(g, g.getNumGeometries() > 1);
        return pg;
    }

    private void add(Geometry g, boolean multi) {
        if (g.isEmpty()) {
            return;
        }
        switch (g) {
            case Polygon p -> {
                if (area == null) {
                    area = new Path2D.Double(Path2D.WIND_EVEN_ODD, 16);
                }
                ring(area, p.getExteriorRing().getCoordinateSequence(), true);
                for (int i = 0; i < p.getNumInteriorRing(); i++) {
                    ring(area, p.getInteriorRingN(i).getCoordinateSequence(), true);
                }
                double a = multi ? p.getArea() : 0;
                if (largestPolygon == null || a > largestArea) {
                    largestPolygon = p;
                    largestArea = a;
                }
            }
            case LineString l -> {
                if (lines == null) {
                    lines = new Path2D.Double(Path2D.WIND_NON_ZERO, 16);
                }
                ring(lines, l.getCoordinateSequence(), false);
                double len = multi ? l.getLength() : 0;
                if (longestLine == null || len > longestLength) {
                    longestLine = l;
                    longestLength = len;
                }
            }
            case Point p -> {
                if (pointCount * 2 == points.length) {
                    points = java.util.Arrays.copyOf(points, Math.max(4, points.length * 2));
                }
                points[pointCount * 2] = t.x(p.getX());
                points[pointCount * 2 + 1] = t.y(p.getY());
                pointCount++;
            }
            case GeometryCollection c -> {
                for (int i = 0; i < c.getNumGeometries(); i++) {
                    add(c.getGeometryN(i), true);
                }
            }
            default -> {
            }
        }
    }

    private void ring(Path2D.Double path, CoordinateSequence cs, boolean close) {
        int n = cs.size();
        if (n == 0) {
            return;
        }
        double lx = t.x(cs.getX(0));
        double ly = t.y(cs.getY(0));
        path.moveTo(lx, ly);
        int last = close ? n - 2 : n - 1; // a closed ring's last vertex repeats the first
        for (int i = 1; i <= last; i++) {
            double x = t.x(cs.getX(i));
            double y = t.y(cs.getY(i));
            if (i < last && Math.abs(x - lx) < MIN_STEP && Math.abs(y - ly) < MIN_STEP) {
                continue;
            }
            path.lineTo(x, y);
            lx = x;
            ly = y;
        }
        if (close) {
            path.closePath();
        } else if (n == 1 || last == 0) {
            path.lineTo(lx, ly);
        }
    }

    /**
     * Where a point symbol or a label goes: the point itself, the midpoint (by length) of the longest line, or for
     * polygons the centroid of the largest part when it lies inside it, else a JTS interior point. Null when the
     * geometry has nothing to anchor to.
     */
    boolean anchor() {
        if (!anchorDone) {
            anchorDone = true;
            Coordinate c = null;
            if (largestPolygon != null) {
                Polygon target = largestPolygon;
                Envelope e = target.getEnvelopeInternal();
                Envelope canvas = t.canvas();
                if (e.getWidth() > canvas.getWidth() || e.getHeight() > canvas.getHeight()) {
                    // larger than the picture: it can never be seen whole, so label the part in view (a big
                    // commune gets its name in every metatile instead of in the one holding its centre)
                    target = clipped(target, canvas);
                    if (target == null) {
                        anchorX = Double.NaN;
                        return false;
                    }
                    e = target.getEnvelopeInternal();
                }
                Point centroid = target.getCentroid();
                c = centroid.isEmpty() ? null : centroid.getCoordinate();
                if (c == null || !SimplePointInAreaLocator.isContained(c, target)) {
                    c = InteriorPoint.getInteriorPoint(target);
                }
                polygonWidth = e.getWidth() * t.sx();
                polygonHeight = e.getHeight() * t.sy();
            } else if (longestLine != null) {
                LengthIndexedLine lil = new LengthIndexedLine(longestLine);
                c = lil.extractPoint(longestLine.getLength() / 2);
            } else if (pointCount > 0) {
                anchorX = points[0];
                anchorY = points[1];
                return true;
            }
            if (c == null) {
                anchorX = Double.NaN;
                return false;
            }
            anchorX = t.x(c.x);
            anchorY = t.y(c.y);
        }
        return !Double.isNaN(anchorX);
    }

    /** The largest polygon of {@code p} inside the envelope, or null. */
    private static Polygon clipped(Polygon p, Envelope box) {
        Geometry clip;
        try {
            clip = OverlayNGRobust.overlay(p, p.getFactory().toGeometry(box), OverlayNG.INTERSECTION);
        } catch (RuntimeException e) {
            return null; // an invalid geometry that even the robust overlay cannot handle: no label
        }
        Polygon best = null;
        double bestArea = 0;
        for (int i = 0; i < clip.getNumGeometries(); i++) {
            if (clip.getGeometryN(i) instanceof Polygon part && part.getArea() > bestArea) {
                best = part;
                bestArea = part.getArea();
            }
        }
        return best;
    }

    double anchorX() {
        return anchorX;
    }

    double anchorY() {
        return anchorY;
    }

    /** Pixel width of the polygon part a label is placed in, NaN for lines and points (after {@link #anchor()}). */
    double polygonWidth() {
        return polygonWidth;
    }

    double polygonHeight() {
        return polygonHeight;
    }

    boolean hasAreaOrLine() {
        return largestPolygon != null || longestLine != null;
    }
}
