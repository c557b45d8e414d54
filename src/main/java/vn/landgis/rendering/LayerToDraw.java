package vn.landgis.rendering;

import java.util.Objects;

/**
 * One layer of a render: a style and the features it draws.
 *
 * @param style    the style
 * @param features the features, iterated exactly once (a one-shot stream is fine); features outside the canvas
 *                 are skipped cheaply, but filtering them out beforehand (a spatial query) is the caller's job
 */
public record LayerToDraw(Style style, Iterable<MapFeature> features) {

    public LayerToDraw {
        Objects.requireNonNull(style, "style");
        Objects.requireNonNull(features, "features");
    }
}
