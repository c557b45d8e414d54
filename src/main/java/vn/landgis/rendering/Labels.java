package vn.landgis.rendering;

import java.awt.BasicStroke;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.font.LineMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Label placement: candidates are collected while the geometry is drawn and placed afterwards, first come first
 * served (layer order, then pass, then feature order). A label is dropped when its box (halo included) does not lie
 * entirely inside the image, overlaps a label already placed, or (polygons) is much larger than its polygon.
 */
final class Labels {

    /** A polygon's label is dropped when its text is wider or taller than this many times the polygon's pixel box. */
    static final double MAX_LABEL_TO_POLYGON = 1.5;

    private final List<Candidate> candidates = new ArrayList<>();

    record Candidate(String text, Symbolizer.Text symbolizer, double x, double y, double polygonWidth,
                     double polygonHeight, double factor) {
    }

    /**
     * The glyphs of one line. Text is in NFC, where every Vietnamese letter is one precomposed character that
     * DejaVu Sans has, so the plain (much cheaper) glyph mapping suffices; text that still needs shaping
     * (combining marks without a precomposed form, complex scripts) goes through full layout.
     */
    static GlyphVector glyphs(Font font, FontRenderContext frc, char[] chars) {
        if (Font.textRequiresLayout(chars, 0, chars.length)) {
            return font.layoutGlyphVector(frc, chars, 0, chars.length, Font.LAYOUT_LEFT_TO_RIGHT);
        }
        return font.createGlyphVector(frc, chars);
    }

    /** Without the blank lines at the start and end (a two-line label whose first property is null). */
    private static String[] blankLinesTrimmed(String[] lines) {
        int from = 0;
        int to = lines.length;
        while (from < to && lines[from].isBlank()) {
            from++;
        }
        while (to > from && lines[to - 1].isBlank()) {
            to--;
        }
        return from == 0 && to == lines.length ? lines : java.util.Arrays.copyOfRange(lines, from, to);
    }

    void add(Candidate c) {
        candidates.add(c);
    }

    /** Places and draws the labels; returns how many were drawn. */
    int draw(Graphics2D g, int width, int height) {
        if (candidates.isEmpty()) {
            return 0;
        }
        FontRenderContext frc = g.getFontRenderContext();
        List<double[]> placed = new ArrayList<>();
        int drawn = 0;
        for (Candidate c : candidates) {
            Symbolizer.Text s = c.symbolizer();
            String[] lines = blankLinesTrimmed(c.text().split("\n"));
            int n = lines.length;
            if (n == 0) {
                continue;
            }
            Font font = s.font();
            GlyphVector[] gvs = new GlyphVector[n];
            double[] widths = new double[n];
            double maxWidth = 0;
            for (int i = 0; i < n; i++) {
                char[] chars = lines[i].toCharArray();
                gvs[i] = glyphs(font, frc, chars);
                widths[i] = gvs[i].getLogicalBounds().getWidth();
                maxWidth = Math.max(maxWidth, widths[i]);
            }
            LineMetrics lm = font.getLineMetrics(c.text(), frc);
            double ascent = lm.getAscent();
            double lineHeight = lm.getAscent() + lm.getDescent();
            double totalHeight = n * lineHeight;
            if (!Double.isNaN(c.polygonWidth())
                    && (maxWidth > MAX_LABEL_TO_POLYGON * c.polygonWidth() || totalHeight > MAX_LABEL_TO_POLYGON * c.polygonHeight())) {
                continue;
            }
            double f = c.factor();
            double halo = s.haloColor() == null ? 0 : Math.max(0, s.haloRadius() * f);
            double left = c.x() + s.displacementX() * f - s.anchorX() * maxWidth;
            double top = c.y() - s.displacementY() * f - (1 - s.anchorY()) * totalHeight;
            double pad = halo + 1;
            double bx0 = left - pad;
            double by0 = top - pad;
            double bx1 = left + maxWidth + pad;
            double by1 = top + totalHeight + pad;
            if (bx0 < 0 || by0 < 0 || bx1 > width || by1 > height) {
                continue;
            }
            boolean free = true;
            for (double[] p : placed) {
                if (bx0 < p[2] && bx1 > p[0] && by0 < p[3] && by1 > p[1]) {
                    free = false;
                    break;
                }
            }
            if (!free) {
                continue;
            }
            placed.add(new double[]{bx0, by0, bx1, by1});
            Shape[] outlines = new Shape[n];
            for (int i = 0; i < n; i++) {
                double x = left + s.anchorX() * (maxWidth - widths[i]);
                double baseline = top + i * lineHeight + ascent;
                outlines[i] = gvs[i].getOutline((float) x, (float) baseline);
            }
            if (halo > 0) {
                g.setStroke(new BasicStroke((float) (2 * halo), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.setColor(s.haloColor());
                for (Shape o : outlines) {
                    g.draw(o);
                }
            }
            g.setColor(s.fill());
            for (Shape o : outlines) {
                g.fill(o);
            }
            drawn++;
        }
        return drawn;
    }
}
