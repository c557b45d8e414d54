/**
 * Feature filters (OGC Filter Encoding 2.0): the {@link vn.landgis.features.filter.Filter} tree, its XML reader
 * {@link vn.landgis.features.filter.FesParser} (hardened: no DOCTYPE, no external entity, bounded size) and sort
 * keys. Part of the features module's API: the protocol edge parses, {@code features.postgis} translates to SQL.
 */
@org.springframework.modulith.NamedInterface("filter")
package vn.landgis.features.filter;
