package vn.landgis.ows;

import java.io.IOException;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryCollection;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiLineString;
import org.locationtech.jts.geom.MultiPoint;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * Writes JTS geometries as GeoJSON and as GML 3.2, streaming, with a fixed number of decimals. Coordinates
 * arrive x = east; {@code swap} writes them north first, as GML wants for EPSG:4326 and EPSG:4756. Stateless.
 */
public final class GeometryEncoding {

    public static final String GML = "http://www.opengis.net/gml/3.2";

    private GeometryEncoding() {
    }

    // ------------------------------------------------------------------ GeoJSON

    public static void geoJson(Geometry g, int decimals, Appendable out) throws IOException {
        if (g == null) {
            out.append("null");
            return;
        }
        switch (g) {
            case Point p -> {
                out.append("{\"type\":\"Point\",\"coordinates\":");
                position(p.getCoordinate(), decimals, out);
            }
            case LineString l -> {
                out.append("{\"type\":\"LineString\",\"coordinates\":");
                positions(l.getCoordinateSequence(), decimals, out);
            }
            case Polygon p -> {
                out.append("{\"type\":\"Polygon\",\"coordinates\":");
                rings(p, decimals, out);
            }
            case MultiPoint mp -> {
                out.append("{\"type\":\"MultiPoint\",\"coordinates\":[");
                for (int i = 0; i < mp.getNumGeometries(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    position(mp.getGeometryN(i).getCoordinate(), decimals, out);
                }
                out.append(']');
            }
            case MultiLineString ml -> {
                out.append("{\"type\":\"MultiLineString\",\"coordinates\":[");
                for (int i = 0; i < ml.getNumGeometries(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    positions(((LineString) ml.getGeometryN(i)).getCoordinateSequence(), decimals, out);
                }
                out.append(']');
            }
            case MultiPolygon mp -> {
                out.append("{\"type\":\"MultiPolygon\",\"coordinates\":[");
                for (int i = 0; i < mp.getNumGeometries(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    rings((Polygon) mp.getGeometryN(i), decimals, out);
                }
                out.append(']');
            }
            case GeometryCollection gc -> {
                out.append("{\"type\":\"GeometryCollection\",\"geometries\":[");
                for (int i = 0; i < gc.getNumGeometries(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    geoJson(gc.getGeometryN(i), decimals, out);
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("unsupported geometry " + g.getGeometryType());
        }
        out.append('}');
    }

    private static void rings(Polygon p, int decimals, Appendable out) throws IOException {
        out.append('[');
        positions(p.getExteriorRing().getCoordinateSequence(), decimals, out);
        for (int i = 0; i < p.getNumInteriorRing(); i++) {
            out.append(',');
            positions(p.getInteriorRingN(i).getCoordinateSequence(), decimals, out);
        }
        out.append(']');
    }

    private static void positions(CoordinateSequence s, int decimals, Appendable out) throws IOException {
        StringBuilder b = new StringBuilder(s.size() * 26 + 2);
        b.append('[');
        for (int i = 0; i < s.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append('[');
            number(s.getX(i), decimals, b);
            b.append(',');
            number(s.getY(i), decimals, b);
            b.append(']');
        }
        out.append(b.append(']'));
    }

    private static void position(Coordinate c, int decimals, Appendable out) throws IOException {
        out.append('[').append(number(c.x, decimals)).append(',').append(number(c.y, decimals)).append(']');
    }

    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L};

    /** A coordinate with at most {@code decimals} decimals and no trailing zeros. */
    static String number(double v, int decimals) {
        StringBuilder b = new StringBuilder(20);
        number(v, decimals, b);
        return b.toString();
    }

    /**
     * Appends a coordinate rounded half-even to {@code decimals} decimals without trailing zeros. Integer arithmetic
     * for every value a coordinate takes (|v| · 10^decimals below 2^53); BigDecimal beyond. A WFS page of 5 000
     * parcels has 170 000 of these: BigDecimal for each cost more than the query.
     */
    static void number(double v, int decimals, StringBuilder out) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("coordinate is not finite");
        }
        long scale = POW10[decimals];
        double scaled = v * scale;
        if (decimals >= POW10.length || Math.abs(scaled) >= 9.0e15) {
            java.math.BigDecimal d = new java.math.BigDecimal(v).setScale(decimals, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros();
            out.append(d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString());
            return;
        }
        long n = (long) Math.rint(scaled);
        if (n < 0) {
            out.append('-');
            n = -n;
        }
        long whole = n / scale;
        long fraction = n % scale;
        out.append(whole);
        if (fraction != 0) {
            int digits = decimals;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            out.append('.');
            String f = Long.toString(fraction);
            for (int i = f.length(); i < digits; i++) {
                out.append('0');
            }
            out.append(f);
        }
    }

    // ------------------------------------------------------------------ GML 3.2

    /**
     * One GML 3.2 geometry element. {@code idPrefix} makes the gml:id values unique in the document (GML 3.2
     * requires an id on every geometry).
     */
    public static void gml(Geometry g, String srsName, boolean swap, int decimals, String idPrefix, XMLStreamWriter w)
            throws XMLStreamException {
        int[] counter = {0};
        gml(g, srsName, swap, decimals, idPrefix, counter, true, w);
    }

    private static void gml(Geometry g, String srsName, boolean swap, int decimals, String idPrefix, int[] counter,
                            boolean top, XMLStreamWriter w) throws XMLStreamException {
        String element = switch (g) {
            case Point p -> "Point";
            case LineString l -> "LineString";
            case Polygon p -> "Polygon";
            case MultiPoint m -> "MultiPoint";
            case MultiLineString m -> "MultiCurve";
            case MultiPolygon m -> "MultiSurface";
            case GeometryCollection c -> "MultiGeometry";
            default -> throw new IllegalArgumentException("unsupported geometry " + g.getGeometryType());
        };
        w.writeStartElement("gml", element, GML);
        w.writeAttribute("gml", GML, "id", idPrefix + "." + counter[0]++);
        if (top) {
            w.writeAttribute("srsName", srsName);
            w.writeAttribute("srsDimension", "2");
        }
        switch (g) {
            case Point p -> posElement("pos", p.getCoordinateSequence(), swap, decimals, w);
            case LineString l -> posElement("posList", l.getCoordinateSequence(), swap, decimals, w);
            case Polygon p -> {
                ring("exterior", p.getExteriorRing(), swap, decimals, w);
                for (int i = 0; i < p.getNumInteriorRing(); i++) {
                    ring("interior", p.getInteriorRingN(i), swap, decimals, w);
                }
            }
            default -> {
                String member = switch (g) {
                    case MultiPoint m -> "pointMember";
                    case MultiLineString m -> "curveMember";
                    case MultiPolygon m -> "surfaceMember";
                    default -> "geometryMember";
                };
                for (int i = 0; i < g.getNumGeometries(); i++) {
                    w.writeStartElement("gml", member, GML);
                    gml(g.getGeometryN(i), srsName, swap, decimals, idPrefix, counter, false, w);
                    w.writeEndElement();
                }
            }
        }
        w.writeEndElement();
    }

    private static void ring(String which, LineString ring, boolean swap, int decimals, XMLStreamWriter w) throws XMLStreamException {
        w.writeStartElement("gml", which, GML);
        w.writeStartElement("gml", "LinearRing", GML);
        posElement("posList", ring.getCoordinateSequence(), swap, decimals, w);
        w.writeEndElement();
        w.writeEndElement();
    }

    private static void posElement(String name, CoordinateSequence s, boolean swap, int decimals, XMLStreamWriter w)
            throws XMLStreamException {
        w.writeStartElement("gml", name, GML);
        StringBuilder b = new StringBuilder(s.size() * 24);
        for (int i = 0; i < s.size(); i++) {
            if (i > 0) {
                b.append(' ');
            }
            double a = swap ? s.getY(i) : s.getX(i);
            double c = swap ? s.getX(i) : s.getY(i);
            number(a, decimals, b);
            b.append(' ');
            number(c, decimals, b);
        }
        w.writeCharacters(b.toString());
        w.writeEndElement();
    }
}
