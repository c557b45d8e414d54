package vn.landgis.rendering;

import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/** The well-known mark shapes, centred on the origin, {@code size} pixels across. */
final class Marks {

    private Marks() {
    }

    static Shape shape(String wellKnownName, double size) {
        double r = size / 2;
        return switch (wellKnownName) {
            case "circle" -> new Ellipse2D.Double(-r, -r, size, size);
            case "triangle" -> {
                Path2D.Double p = new Path2D.Double();
                p.moveTo(0, -r);
                p.lineTo(r, r);
                p.lineTo(-r, r);
                p.closePath();
                yield p;
            }
            case "star" -> {
                Path2D.Double p = new Path2D.Double();
                double inner = r * 0.382;
                for (int i = 0; i < 10; i++) {
                    double a = -Math.PI / 2 + i * Math.PI / 5;
                    double rad = (i % 2 == 0) ? r : inner;
                    double x = Math.cos(a) * rad;
                    double y = Math.sin(a) * rad;
                    if (i == 0) {
                        p.moveTo(x, y);
                    } else {
                        p.lineTo(x, y);
                    }
                }
                p.closePath();
                yield p;
            }
            case "cross" -> plus(r);
            case "x" -> AffineTransform.getRotateInstance(Math.PI / 4).createTransformedShape(plus(r));
            default -> new Rectangle2D.Double(-r, -r, size, size);
        };
    }

    private static Shape plus(double r) {
        double t = r * 0.2; // half the arm thickness
        Path2D.Double p = new Path2D.Double();
        p.moveTo(-t, -r);
        p.lineTo(t, -r);
        p.lineTo(t, -t);
        p.lineTo(r, -t);
        p.lineTo(r, t);
        p.lineTo(t, t);
        p.lineTo(t, r);
        p.lineTo(-t, r);
        p.lineTo(-t, t);
        p.lineTo(-r, t);
        p.lineTo(-r, -t);
        p.lineTo(-t, -t);
        p.closePath();
        return p;
    }
}
