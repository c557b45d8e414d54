/**
 * Map rendering without HTTP or SQL: SLD/SE styles and a Java2D renderer, for the WMS and tile endpoints.
 *
 * <h2>Input contract</h2>
 * <ul>
 *   <li>Geometries ({@link vn.landgis.rendering.MapFeature#geometry()}) are JTS geometries already in the map CRS,
 *       with x = east and y = north in map units, whatever axis order the request used: the caller transforms and
 *       swaps axes before calling. The canvas bbox ({@link vn.landgis.rendering.MapCanvas#bbox()}) is in the same
 *       CRS and axis order.</li>
 *   <li>The caller computes the OGC scale denominator (standard 0.28 mm pixel) and puts it in the canvas; it
 *       selects the rules by Min/MaxScaleDenominator (min inclusive, max exclusive) and converts lengths whose
 *       SE {@code uom} is metre.</li>
 *   <li>Attribute values are {@code String}, {@code Number}, {@code Boolean}, {@code java.time} values or null.
 *       Filters compare numerically when both sides are numbers (or strings that are plain decimal numbers), else
 *       as text ({@code java.time} values by their ISO text); a comparison with null is false.
 *       {@link vn.landgis.rendering.Style#propertiesUsed(double)} tells which attributes a render needs.</li>
 *   <li>Features may come as a one-shot stream: each layer's features are iterated exactly once.</li>
 * </ul>
 *
 * <h2>Styles</h2>
 * {@link vn.landgis.rendering.SldParser} reads a subset of SLD 1.0.0 and SE 1.1.0 / SLD 1.1.0: the first (or the
 * IsDefault) UserStyle of the first NamedLayer; its FeatureTypeStyles are rendering passes in document order;
 * rules with Name, Title, scale range, an OGC Filter (comparisons, Like, Null, Between, And, Or, Not on PropertyName
 * and Literal) or ElseFilter; Polygon, Line, Point and Text symbolizers (see the brief in each class). Anything else
 * is refused with a {@link vn.landgis.rendering.StyleException} that names the element, never silently ignored
 * (VendorOption, Priority and Geometry are the exceptions: accepted and ignored). The XML parser refuses DOCTYPE
 * declarations, so no DTD, external entity or XInclude is ever read. External graphics are PNG files relative to the
 * style file and inside its directory. {@link vn.landgis.rendering.StyleLibrary} loads the shipped styles from the
 * classpath directory {@code styles/} (the repository's {@code styles/}).
 *
 * <h2>Rendering</h2>
 * {@link vn.landgis.rendering.MapRenderer} draws layers in list order (first at the bottom) into a
 * {@code TYPE_INT_ARGB} image, antialiased. Labels are collected while drawing and placed after all geometry of all
 * layers, in collection order (layer, then pass, then feature order: earlier wins), skipping labels that overlap an
 * already placed one, that do not lie entirely inside the image (tiles are cut from metatiles, so a label is never
 * cut at an edge), or that are more than 1.5 times wider or taller than their polygon's pixel box. A polygon is
 * labelled at its centroid when that lies inside it, else at a JTS interior point; a polygon larger than the picture
 * is labelled at that point of its visible part. Lines are labelled (and point-symbolised) at their midpoint,
 * horizontally. Hatches are anchored to the world origin so that adjacent tiles continue each other's pattern.
 * The output is deterministic.
 *
 * <h2>Thread safety</h2>
 * {@link vn.landgis.rendering.Style}, {@link vn.landgis.rendering.StyleLibrary} and every record are immutable;
 * {@link vn.landgis.rendering.SldParser}, {@link vn.landgis.rendering.MapRenderer},
 * {@link vn.landgis.rendering.LegendRenderer} and {@link vn.landgis.rendering.ImageEncoder} keep no state, so one
 * instance serves concurrent requests. Each render creates its own image, Graphics2D, strokes, hatch textures and
 * copies of external graphics; nothing mutable is shared between threads.
 */
package vn.landgis.rendering;
