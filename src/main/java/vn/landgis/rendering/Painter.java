package vn.landgis.rendering;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Composite;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.TexturePaint;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Draws symbolizers on one Graphics2D for one render (or one legend): holds that render's scale, its hatch anchor
 * and caches of strokes, hatch paints and images made for it. Not thread-safe; never shared between renders.
 */
final class Painter {

    final Graphics2D g;
    final double scaleDenominator;
    private final long hatchOriginX;
    private final long hatchOriginY;
    private final Map<Symbolizer.StrokeDef, BasicStroke> strokes = new IdentityHashMap<>();
    private final Map<Symbolizer.HatchDef, TexturePaint> hatches = new IdentityHashMap<>();
    private final Map<Symbolizer.ImageDef, BufferedImage> images = new IdentityHashMap<>();

    /**
     * @param hatchOriginX pixel column (possibly far outside the image) of the world origin: hatches are
     *                     anchored there so that neighbouring tiles continue each other's pattern
     * @param hatchOriginY pixel row of the world origin
     */
    Painter(Graphics2D g, double scaleDenominator, long hatchOriginX, long hatchOriginY) {
        this.g = g;
        this.scaleDenominator = scaleDenominator;
        this.hatchOriginX = hatchOriginX;
        this.hatchOriginY = hatchOriginY;
    }

    static void quality(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    }

    double factor(boolean metres) {
        return Symbolizer.uomFactor(metres, scaleDenominator);
    }

    void polygon(Shape area, Symbolizer.Polygon s) {
        if (s.fill() != null) {
            fill(area, s.fill(), factor(s.metres()));
        }
        if (s.stroke() != null) {
            stroke(area, s.stroke(), factor(s.metres()));
        }
    }

    void fill(Shape area, Symbolizer.FillDef fill, double factor) {
        if (fill.color() != null) {
            g.setColor(fill.color());
            g.fill(area);
        }
        if (fill.hatch() != null) {
            Paint old = g.getPaint();
            g.setPaint(hatches.computeIfAbsent(fill.hatch(), h -> hatchPaint(h, factor)));
            g.fill(area);
            g.setPaint(old);
        }
    }

    void stroke(Shape shape, Symbolizer.StrokeDef stroke, double factor) {
        if (stroke.width() <= 0 || stroke.color().getAlpha() == 0) {
            return;
        }
        g.setStroke(strokes.computeIfAbsent(stroke, s -> s.toStroke(factor)));
        g.setColor(stroke.color());
        g.draw(shape);
    }

    private TexturePaint hatchPaint(Symbolizer.HatchDef h, double factor) {
        int p = (int) Math.max(2, Math.round(h.size() * factor));
        BufferedImage tile = new BufferedImage(p, p, BufferedImage.TYPE_INT_ARGB);
        Graphics2D tg = tile.createGraphics();
        try {
            quality(tg);
            if (h.markFill() != null) {
                tg.setColor(h.markFill());
                tg.fillRect(0, 0, p, p);
            }
            double w = Math.max(0.1, h.strokeWidth() * factor);
            tg.setColor(h.color());
            tg.setStroke(new BasicStroke((float) w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
            // a one-pixel line through the middle of a pixel row stays crisp
            double mid = (Math.round(w) % 2 == 1) ? Math.floor(p / 2.0) + 0.5 : Math.floor(p / 2.0);
            switch (h.shape()) {
                case "shape://horline" -> tg.draw(new Line2D.Double(-1, mid, p + 1, mid));
                case "shape://vertline" -> tg.draw(new Line2D.Double(mid, -1, mid, p + 1));
                case "shape://plus" -> {
                    tg.draw(new Line2D.Double(-1, mid, p + 1, mid));
                    tg.draw(new Line2D.Double(mid, -1, mid, p + 1));
                }
                case "shape://slash" -> slashes(tg, p, true);
                case "shape://backslash" -> slashes(tg, p, false);
                case "shape://times" -> {
                    slashes(tg, p, true);
                    slashes(tg, p, false);
                }
                case "shape://dot" -> {
                    double d = Math.max(1.5, w + 1);
                    tg.fill(new Ellipse2D.Double(p / 2.0 - d / 2, p / 2.0 - d / 2, d, d));
                }
                default -> throw new IllegalStateException(h.shape());
            }
        } finally {
            tg.dispose();
        }
        double ox = Math.floorMod(hatchOriginX, (long) p);
        double oy = Math.floorMod(hatchOriginY, (long) p);
        return new TexturePaint(tile, new Rectangle2D.Double(ox, oy, p, p));
    }

    /** Diagonals drawn in three copies so that the tile wraps without gaps. */
    private static void slashes(Graphics2D tg, int p, boolean slash) {
        for (int k = -1; k <= 1; k++) {
            double x0 = k * p - 1;
            double x1 = k * p + p + 1;
            if (slash) {
                tg.draw(new Line2D.Double(x0, p + 1, x1, -1));
            } else {
                tg.draw(new Line2D.Double(x0, -1, x1, p + 1));
            }
        }
    }

    /** A point symbol centred (after anchor and displacement) on (px, py). */
    void graphic(double px, double py, Symbolizer.GraphicDef gd, double factor, double maxSize) {
        double size = Math.min(gd.sizePx(factor), maxSize);
        if (!(size > 0)) {
            return;
        }
        double w = size;
        double h = size;
        Symbolizer.ImageDef img = gd.image();
        if (img != null) {
            w = size * img.width() / img.height();
        }
        double cx = px + gd.displacementX() * factor + (0.5 - gd.anchorX()) * w;
        double cy = py - gd.displacementY() * factor - (0.5 - gd.anchorY()) * h;
        Composite oldComposite = null;
        if (gd.opacity() < 1) {
            oldComposite = g.getComposite();
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, (float) gd.opacity()));
        }
        AffineTransform at = AffineTransform.getTranslateInstance(cx, cy);
        if (gd.rotation() != 0) {
            at.rotate(Math.toRadians(gd.rotation()));
        }
        if (gd.mark() != null) {
            Symbolizer.MarkDef m = gd.mark();
            Shape s = at.createTransformedShape(Marks.shape(m.wellKnownName(), size));
            if (m.fill() != null) {
                g.setColor(m.fill());
                g.fill(s);
            }
            if (m.stroke() != null) {
                stroke(s, m.stroke(), factor);
            }
        } else if (img != null) {
            BufferedImage bi = images.computeIfAbsent(img, Painter::toImage);
            at.translate(-w / 2, -h / 2);
            at.scale(w / img.width(), h / img.height());
            g.drawImage(bi, at, null);
        }
        if (oldComposite != null) {
            g.setComposite(oldComposite);
        }
    }

    /** A private copy of a style's image for this render (images are never shared between threads). */
    private static BufferedImage toImage(Symbolizer.ImageDef d) {
        BufferedImage bi = new BufferedImage(d.width(), d.height(), BufferedImage.TYPE_INT_ARGB);
        bi.setRGB(0, 0, d.width(), d.height(), d.argb(), 0, d.width());
        return bi;
    }
}
