package vn.landgis.rendering;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.font.LineMetrics;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Legend images (what WMS GetLegendGraphic returns). Thread-safe (no state).
 *
 * <p>Layout: one row per {@link Style#legendItems legend item}, stacked top to bottom with no gap; each row is
 * {@code max(iconHeight, 16)} pixels high and holds the icon at its left (vertically centred) and the item's title
 * 6 pixels to the right of it, in DejaVu Sans 12 px, dark grey. Transparent background.
 */
public final class LegendRenderer {

    static final int MIN_ROW_HEIGHT = 16;
    static final int TEXT_GAP = 6;
    private static final Font TITLE_FONT = Fonts.font(List.of(Fonts.DEFAULT_FAMILY), false, false, 12);
    private static final Color TITLE_COLOR = new Color(0x22, 0x22, 0x22);

    private LegendRenderer() {
    }

    /**
     * @param style            the style
     * @param ruleName         null for the whole legend; else only that rule's icon, {@code iconWidth x iconHeight}
     *                         pixels, no text
     * @param scaleDenominator the scale whose active rules are listed; NaN lists every rule
     * @throws StyleException when {@code ruleName} names no rule of the style
     */
    public static BufferedImage render(Style style, String ruleName, int iconWidth, int iconHeight, double scaleDenominator) {
        if (iconWidth <= 0 || iconHeight <= 0) {
            throw new IllegalArgumentException("icon size must be positive: " + iconWidth + "x" + iconHeight);
        }
        if (ruleName != null) {
            Rule r = style.rule(ruleName);
            if (r == null) {
                throw new StyleException("style '" + style.name() + "' has no rule named '" + ruleName + "'");
            }
            BufferedImage img = new BufferedImage(iconWidth, iconHeight, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = img.createGraphics();
            try {
                Painter.quality(g);
                icon(g, r, 0, 0, iconWidth, iconHeight, scaleDenominator);
            } finally {
                g.dispose();
            }
            return img;
        }
        List<Rule> rules = new ArrayList<>();
        for (Rule r : style.rules()) {
            if (r.activeAt(scaleDenominator)) {
                rules.add(r);
            }
        }
        if (rules.isEmpty()) {
            return new BufferedImage(iconWidth, iconHeight, BufferedImage.TYPE_INT_ARGB);
        }
        int rowHeight = Math.max(iconHeight, MIN_ROW_HEIGHT);
        // measure the titles on a scratch graphics with the same hints
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        Graphics2D sg = scratch.createGraphics();
        Painter.quality(sg);
        FontRenderContext frc = sg.getFontRenderContext();
        sg.dispose();
        List<GlyphVector> titles = new ArrayList<>();
        double textWidth = 0;
        for (Rule r : rules) {
            char[] chars = Values.nfc(r.title).toCharArray();
            GlyphVector gv = Labels.glyphs(TITLE_FONT, frc, chars);
            titles.add(gv);
            textWidth = Math.max(textWidth, gv.getLogicalBounds().getWidth());
        }
        int width = iconWidth + TEXT_GAP + (int) Math.ceil(textWidth) + 2;
        int height = rowHeight * rules.size();
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            Painter.quality(g);
            LineMetrics lm = TITLE_FONT.getLineMetrics("Ấy", g.getFontRenderContext());
            for (int i = 0; i < rules.size(); i++) {
                int top = i * rowHeight;
                icon(g, rules.get(i), 0, top + (rowHeight - iconHeight) / 2, iconWidth, iconHeight, scaleDenominator);
                float baseline = (float) (top + (rowHeight - (lm.getAscent() + lm.getDescent())) / 2 + lm.getAscent());
                g.setColor(TITLE_COLOR);
                g.fill(titles.get(i).getOutline(iconWidth + TEXT_GAP, baseline));
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** One rule's symbolizers drawn into the box (x, y, w, h). */
    private static void icon(Graphics2D g, Rule rule, int x, int y, int w, int h, double scale) {
        Painter painter = new Painter(g, scale, x, y);
        double cx = x + w / 2.0;
        double cy = y + h / 2.0;
        for (Symbolizer s : rule.symbolizers) {
            switch (s) {
                case Symbolizer.Polygon p -> {
                    Rectangle2D.Double box = new Rectangle2D.Double(x + 1, y + 1, w - 2, h - 2);
                    if (p.fill() != null) {
                        painter.fill(box, p.fill(), painter.factor(p.metres()));
                    }
                    if (p.stroke() != null) {
                        painter.stroke(box, capped(p.stroke(), h / 4.0, painter.factor(p.metres())), 1);
                    }
                }
                case Symbolizer.Line l -> painter.stroke(new Line2D.Double(x + 1, cy, x + w - 1, cy),
                        capped(l.stroke(), h / 2.0, painter.factor(l.metres())), 1);
                case Symbolizer.Point p -> painter.graphic(cx, cy, centred(p.graphic()), painter.factor(p.metres()), Math.min(w, h) - 2);
                case Symbolizer.Text t -> {
                    Font font = t.font().getSize2D() > h * 0.8 ? t.font().deriveFont((float) (h * 0.8)) : t.font();
                    GlyphVector gv = font.layoutGlyphVector(g.getFontRenderContext(), "Aa".toCharArray(), 0, 2, Font.LAYOUT_LEFT_TO_RIGHT);
                    Rectangle2D b = gv.getVisualBounds();
                    java.awt.Shape o = gv.getOutline((float) (cx - b.getCenterX()), (float) (cy - b.getCenterY()));
                    if (t.haloColor() != null && t.haloRadius() > 0) {
                        g.setStroke(new java.awt.BasicStroke((float) Math.min(2 * t.haloRadius(), 3), java.awt.BasicStroke.CAP_ROUND, java.awt.BasicStroke.JOIN_ROUND));
                        g.setColor(t.haloColor());
                        g.draw(o);
                    }
                    g.setColor(t.fill());
                    g.fill(o);
                }
            }
        }
    }

    /** The stroke with its width (in pixels, uom applied) limited so it fits the icon. */
    private static Symbolizer.StrokeDef capped(Symbolizer.StrokeDef s, double max, double factor) {
        double width = Math.min(s.width() * factor, max);
        float[] dash = null;
        if (s.dash() != null) {
            dash = new float[s.dash().length];
            for (int i = 0; i < dash.length; i++) {
                dash[i] = (float) (s.dash()[i] * factor);
            }
        }
        return new Symbolizer.StrokeDef(s.color(), width, dash, (float) (s.dashOffset() * factor), s.cap(), s.join());
    }

    private static Symbolizer.GraphicDef centred(Symbolizer.GraphicDef gd) {
        return new Symbolizer.GraphicDef(gd.mark(), gd.image(), gd.size(), gd.opacity(), gd.rotation(), 0.5, 0.5, 0, 0);
    }
}
