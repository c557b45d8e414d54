package vn.landgis.imports;

import java.util.List;
import java.util.Map;

/**
 * One feature as a delivery holds it: its position in the file, its attributes as text (keys as in the file),
 * and its polygons, each a list of rings (the first the shell) of interleaved x,y in the file's CRS, exactly as
 * written: rings may be unclosed or repeated; {@link RingChecks} reports and repairs that.
 */
record SourceFeature(int featureNo, Map<String, String> attributes, List<double[][]> polygons) {
}
