package vn.landgis.rendering;

/**
 * One row of a legend.
 *
 * @param ruleName the rule's Name (a generated {@code rule-<n>} when the SLD gives none); pass it to
 *                 {@link LegendRenderer#render} to draw just this rule's icon
 * @param title    the rule's Title, or its name when the SLD gives no title
 */
public record LegendItem(String ruleName, String title) {
}
