package vn.landgis.rendering;

import java.awt.Color;
import java.util.Objects;

import org.locationtech.jts.geom.Envelope;

/**
 * The picture frame of one render.
 *
 * @param bbox             the area shown, in the map CRS with x = east and y = north whatever the axis order of
 *                         the request that produced it
 * @param width            image width in pixels
 * @param height           image height in pixels
 * @param scaleDenominator the OGC scale denominator of this picture, computed by the caller with the standard
 *                         0.28 mm pixel; it selects the rules by their Min/MaxScaleDenominator and converts
 *                         lengths given in metres
 * @param background       the background colour, {@code null} for transparent
 */
public record MapCanvas(Envelope bbox, int width, int height, double scaleDenominator, Color background) {

    public MapCanvas {
        Objects.requireNonNull(bbox, "bbox");
        if (bbox.isNull() || bbox.getWidth() <= 0 || bbox.getHeight() <= 0) {
            throw new IllegalArgumentException("bbox must have a positive width and height: " + bbox);
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
    }
}
