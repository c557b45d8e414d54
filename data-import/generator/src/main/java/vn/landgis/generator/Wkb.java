package vn.landgis.generator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;

/**
 * Little-endian WKB and GeoPackage geometry blobs, written by hand so that a defect such as an unclosed ring
 * can be written as a district tool would (JTS refuses to build such a ring).
 */
final class Wkb {
    private Wkb() {
    }

    /** MultiPolygon, one single-ring polygon per part. */
    static byte[] multiPolygon(double[][] parts) {
        int size = 9;
        for (double[] ring : parts) {
            size += 9 + 4 + ring.length * 8;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 1).putInt(6).putInt(parts.length);
        for (double[] ring : parts) {
            b.put((byte) 1).putInt(3).putInt(1).putInt(ring.length / 2);
            for (double v : ring) {
                b.putDouble(v);
            }
        }
        return b.array();
    }

    /** A JTS polygonal geometry as a MultiPolygon with all its rings. */
    static byte[] multiPolygon(Geometry g) {
        int size = 9;
        for (int k = 0; k < g.getNumGeometries(); k++) {
            Polygon p = (Polygon) g.getGeometryN(k);
            size += 9;
            for (int r = 0; r <= p.getNumInteriorRing(); r++) {
                size += 4 + (r == 0 ? p.getExteriorRing() : p.getInteriorRingN(r - 1)).getNumPoints() * 16;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 1).putInt(6).putInt(g.getNumGeometries());
        for (int k = 0; k < g.getNumGeometries(); k++) {
            Polygon p = (Polygon) g.getGeometryN(k);
            b.put((byte) 1).putInt(3).putInt(1 + p.getNumInteriorRing());
            for (int r = 0; r <= p.getNumInteriorRing(); r++) {
                var cs = (r == 0 ? p.getExteriorRing() : p.getInteriorRingN(r - 1)).getCoordinateSequence();
                b.putInt(cs.size());
                for (int i = 0; i < cs.size(); i++) {
                    b.putDouble(cs.getX(i)).putDouble(cs.getY(i));
                }
            }
        }
        return b.array();
    }

    /** GeoPackage binary: 'GP', version 0, flags (little-endian, xy envelope), srs id, envelope, WKB. */
    static byte[] gpkg(byte[] wkb, int srid, double[] envelope) {
        ByteBuffer b = ByteBuffer.allocate(8 + 32 + wkb.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'G').put((byte) 'P').put((byte) 0).put((byte) 0x03).putInt(srid);
        b.putDouble(envelope[0]).putDouble(envelope[2]).putDouble(envelope[1]).putDouble(envelope[3]);
        b.put(wkb);
        return b.array();
    }

    /** {minX, minY, maxX, maxY} of interleaved rings. */
    static double[] envelope(double[][] parts) {
        double[] e = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (double[] ring : parts) {
            for (int i = 0; i < ring.length; i += 2) {
                e[0] = Math.min(e[0], ring[i]);
                e[1] = Math.min(e[1], ring[i + 1]);
                e[2] = Math.max(e[2], ring[i]);
                e[3] = Math.max(e[3], ring[i + 1]);
            }
        }
        return e;
    }
}
