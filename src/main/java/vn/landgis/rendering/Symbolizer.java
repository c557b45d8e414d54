package vn.landgis.rendering;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;

/**
 * The parsed symbolizers: immutable values (the arrays in them are never changed after parsing). Lengths are in
 * pixels unless {@code metres}, in which case {@link #uomFactor} converts them with the render's scale.
 */
sealed interface Symbolizer {

    /** Pixel size in metres at scale 1 (the OGC standard rendering pixel of 0.28 mm). */
    double PIXEL_METRES = 0.00028;

    /** How many pixels one unit of length of this symbolizer is at this scale. */
    static double uomFactor(boolean metres, double scaleDenominator) {
        if (!metres || !(scaleDenominator > 0) || Double.isInfinite(scaleDenominator)) {
            return 1.0;
        }
        return 1.0 / (scaleDenominator * PIXEL_METRES);
    }

    /** The largest distance in pixels that this symbolizer draws away from its geometry (for culling). */
    double reachPx(double scaleDenominator);

    record StrokeDef(Color color, double width, float[] dash, float dashOffset, int cap, int join) {
        BasicStroke toStroke(double factor) {
            float w = (float) (width * factor);
            if (dash == null) {
                return new BasicStroke(w, cap, join, 10f);
            }
            float[] d = new float[dash.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) Math.max(dash[i] * factor, 0.01);
            }
            return new BasicStroke(w, cap, join, 10f, d, (float) (dashOffset * factor));
        }
    }

    /**
     * A hatch from a GraphicFill with a {@code shape://} mark: lines (or dots) of {@code color} and
     * {@code strokeWidth} repeating every {@code size} pixels, on {@code markFill} (usually null, transparent).
     */
    record HatchDef(String shape, Color color, double strokeWidth, double size, Color markFill) {
    }

    /** A polygon fill: a colour (may be null), then a hatch on top (may be null). */
    record FillDef(Color color, HatchDef hatch) {
    }

    record MarkDef(String wellKnownName, Color fill, StrokeDef stroke) {
    }

    /** A decoded PNG external graphic, as non-premultiplied ARGB pixels. */
    record ImageDef(String href, int width, int height, int[] argb) {
    }

    /** {@code size} NaN means the default (6 px for marks, the image's own height for images). */
    record GraphicDef(MarkDef mark, ImageDef image, double size, double opacity, double rotation,
                      double anchorX, double anchorY, double displacementX, double displacementY) {

        double sizePx(double factor) {
            if (Double.isNaN(size)) {
                return image != null ? image.height() : 6.0;
            }
            return size * factor;
        }
    }

    record Polygon(FillDef fill, StrokeDef stroke, boolean metres) implements Symbolizer {
        @Override
        public double reachPx(double scale) {
            return stroke == null ? 1 : stroke.width() * uomFactor(metres, scale) / 2 + 1;
        }
    }

    record Line(StrokeDef stroke, boolean metres) implements Symbolizer {
        @Override
        public double reachPx(double scale) {
            return stroke.width() * uomFactor(metres, scale) / 2 + 1;
        }
    }

    record Point(GraphicDef graphic, boolean metres) implements Symbolizer {
        @Override
        public double reachPx(double scale) {
            double f = uomFactor(metres, scale);
            double s = graphic.sizePx(f);
            if (graphic.image() != null && !Double.isNaN(graphic.size())) {
                s = Math.max(s, s * graphic.image().width() / Math.max(1, graphic.image().height()));
            }
            double strokeW = graphic.mark() != null && graphic.mark().stroke() != null ? graphic.mark().stroke().width() * f : 0;
            return s * 0.75 + strokeW + Math.abs(graphic.displacementX() * f) + Math.abs(graphic.displacementY() * f) + 1;
        }
    }

    /** A label; the anchor and displacement follow SLD: anchor (0,0) is the bottom left of the text, y is up. */
    record Text(Expr label, Font font, Color fill, double haloRadius, Color haloColor,
                double anchorX, double anchorY, double displacementX, double displacementY, boolean metres) implements Symbolizer {
        @Override
        public double reachPx(double scale) {
            return 0; // labels must lie inside the image anyway
        }
    }
}
