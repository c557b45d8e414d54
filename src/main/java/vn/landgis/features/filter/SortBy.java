package vn.landgis.features.filter;

/** One sort key of a query: an attribute name and the direction. */
public record SortBy(String property, boolean descending) {
}
