package vn.landgis.rendering;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;

/**
 * Draws layers of features with their styles into a {@code TYPE_INT_ARGB} image with Java2D. Stateless and
 * thread-safe: every render makes its own image, graphics and caches.
 *
 * <p>Per layer, each FeatureTypeStyle is a pass over all features (the features are iterated once; later passes
 * replay the matched features). Labels of all layers are placed last, on top of all geometry.
 */
public final class MapRenderer {

    public BufferedImage render(MapCanvas canvas, List<LayerToDraw> layers) {
        int w = canvas.width();
        int h = canvas.height();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            if (canvas.background() != null) {
                g.setComposite(AlphaComposite.Src);
                g.setColor(canvas.background());
                g.fillRect(0, 0, w, h);
                g.setComposite(AlphaComposite.SrcOver);
            }
            Painter.quality(g);
            Envelope bbox = canvas.bbox();
            double sx = w / bbox.getWidth();
            double sy = h / bbox.getHeight();
            PixelGeometry.WorldToPixel t = new PixelGeometry.WorldToPixel(bbox.getMinX(), bbox.getMaxY(), sx, sy, bbox);
            // pixel position of the world origin, for hatches continuous across tiles
            long originX = Math.round(-bbox.getMinX() * sx);
            long originY = Math.round(bbox.getMaxY() * sy);
            Painter painter = new Painter(g, canvas.scaleDenominator(), originX, originY);
            Labels labels = new Labels();
            for (LayerToDraw layer : layers) {
                drawLayer(layer, canvas, t, painter, labels);
            }
            labels.draw(g, w, h);
        } finally {
            g.dispose();
        }
        return img;
    }

    private record Deferred(MapFeature feature, PixelGeometry geometry, List<Rule> rules) {
    }

    private static void drawLayer(LayerToDraw layer, MapCanvas canvas, PixelGeometry.WorldToPixel t, Painter painter, Labels labels) {
        Style style = layer.style();
        double scale = canvas.scaleDenominator();
        List<FeatureTypeStyle> passes = style.featureTypeStyles();
        FeatureTypeStyle.Selector[] selectors = new FeatureTypeStyle.Selector[passes.size()];
        boolean any = false;
        for (int i = 0; i < selectors.length; i++) {
            selectors[i] = passes.get(i).selector(scale);
            any |= selectors[i].anyActive;
        }
        if (!any) {
            return;
        }
        double reach = style.reachPx(scale);
        Envelope query = new Envelope(canvas.bbox());
        query.expandBy(reach / t.sx(), reach / t.sy());
        @SuppressWarnings("unchecked")
        List<Deferred>[] deferred = new List[selectors.length];
        for (MapFeature f : layer.features()) {
            Geometry geom = f.geometry();
            if (geom == null || geom.isEmpty() || !query.intersects(geom.getEnvelopeInternal())) {
                continue;
            }
            PixelGeometry pg = null;
            Map<String, Object> attrs = f.attributes();
            for (int k = 0; k < selectors.length; k++) {
                if (!selectors[k].anyActive) {
                    continue;
                }
                List<Rule> rules = selectors[k].match(attrs);
                if (rules.isEmpty()) {
                    continue;
                }
                if (pg == null) {
                    pg = PixelGeometry.of(geom, t);
                }
                if (k == 0) {
                    draw(f, pg, rules, painter, labels);
                } else {
                    if (deferred[k] == null) {
                        deferred[k] = new ArrayList<>();
                    }
                    deferred[k].add(new Deferred(f, pg, List.copyOf(rules)));
                }
            }
        }
        for (List<Deferred> pass : deferred) {
            if (pass != null) {
                for (Deferred d : pass) {
                    draw(d.feature(), d.geometry(), d.rules(), painter, labels);
                }
            }
        }
    }

    private static void draw(MapFeature f, PixelGeometry pg, List<Rule> rules, Painter painter, Labels labels) {
        for (Rule r : rules) {
            for (Symbolizer s : r.symbolizers) {
                switch (s) {
                    case Symbolizer.Polygon p -> {
                        if (pg.area != null) {
                            painter.polygon(pg.area, p);
                        }
                    }
                    case Symbolizer.Line l -> {
                        double factor = painter.factor(l.metres());
                        if (pg.lines != null) {
                            painter.stroke(pg.lines, l.stroke(), factor);
                        }
                        if (pg.area != null) {
                            painter.stroke(pg.area, l.stroke(), factor);
                        }
                    }
                    case Symbolizer.Point p -> {
                        double factor = painter.factor(p.metres());
                        for (int i = 0; i < pg.pointCount; i++) {
                            painter.graphic(pg.points[2 * i], pg.points[2 * i + 1], p.graphic(), factor, Double.MAX_VALUE);
                        }
                        if (pg.hasAreaOrLine() && pg.anchor()) {
                            painter.graphic(pg.anchorX(), pg.anchorY(), p.graphic(), factor, Double.MAX_VALUE);
                        }
                    }
                    case Symbolizer.Text tx -> {
                        Object v = tx.label().evaluate(f.attributes());
                        String text = v == null ? null : Values.nfc(Values.text(v));
                        if (text != null && !text.isBlank() && pg.anchor()) {
                            labels.add(new Labels.Candidate(text, tx, pg.anchorX(), pg.anchorY(), pg.polygonWidth(),
                                    pg.polygonHeight(), painter.factor(tx.metres())));
                        }
                    }
                }
            }
        }
    }
}
