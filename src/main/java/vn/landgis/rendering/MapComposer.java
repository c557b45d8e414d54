package vn.landgis.rendering;

import java.awt.image.BufferedImage;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.locationtech.jts.geom.Envelope;
import org.springframework.stereotype.Component;

import vn.landgis.features.FeatureQuery;
import vn.landgis.features.FeatureSource;
import vn.landgis.features.Layer;
import vn.landgis.features.Viewer;

/**
 * Draws a map of catalog layers: for each layer shown at the canvas's scale, reads the features in view (only
 * the attributes its style needs at that scale, simplified to the pixel size) and hands them to the
 * {@link MapRenderer}. Used by WMS GetMap, PNG tiles and the planning-information sheet. Thread-safe.
 */
@Component
public class MapComposer {

    /** Extra pixels read around the canvas, so strokes of features just outside still reach the edge. */
    static final int READ_MARGIN_PX = 4;

    private final FeatureSource source;
    private final MapRenderer renderer = new MapRenderer();

    MapComposer(FeatureSource source) {
        this.source = source;
    }

    /** A layer with the style to draw it in. */
    public record StyledLayer(Layer layer, Style style) {
    }

    /**
     * The map.
     *
     * @param canvas  bbox (x = east) in {@code srid}, size, scale, background
     * @param srid    the map's CRS
     * @param metresPerUnit metres in one map unit (1 for projected CRSs), to judge simplification
     * @param layers  bottom first
     * @param viewer  who looks: decides the attributes read
     * @param asOf    register as of this instant, or null for current
     */
    public BufferedImage compose(MapCanvas canvas, int srid, double metresPerUnit, List<StyledLayer> layers, Viewer viewer,
                                 OffsetDateTime asOf) {
        double pixel = canvas.bbox().getWidth() / canvas.width();
        Envelope read = new Envelope(canvas.bbox());
        read.expandBy(pixel * READ_MARGIN_PX, canvas.bbox().getHeight() / canvas.height() * READ_MARGIN_PX);
        // below a metre per pixel simplification saves nothing; above it, half a pixel is invisible
        double simplify = pixel * metresPerUnit > 1.0 ? pixel / 2 : 0;
        List<LayerToDraw> draw = new ArrayList<>(layers.size());
        double scale = canvas.scaleDenominator();
        for (StyledLayer sl : layers) {
            if (!sl.layer().visibleAt(scale) || !sl.style().isVisibleAt(scale)) {
                continue;
            }
            List<String> properties = new ArrayList<>(sl.style().propertiesUsed(scale));
            List<MapFeature> features = new ArrayList<>();
            source.read(FeatureQuery.forMap(sl.layer(), viewer, read, srid, properties, asOf, simplify, pixel / 10),
                    f -> features.add(new MapFeature(f.id(), f.geometry(), f.attributes())));
            draw.add(new LayerToDraw(sl.style(), features));
        }
        return renderer.render(canvas, draw);
    }

    /** OGC scale denominator of a map: ground metres per pixel over the standard 0.28 mm pixel. */
    public static double scaleDenominator(Envelope bbox, int width, double metresPerUnit) {
        return bbox.getWidth() * metresPerUnit / width / 0.00028;
    }
}
