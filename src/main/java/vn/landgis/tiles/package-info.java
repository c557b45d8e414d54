/**
 * Map tiles on the WebMercatorQuad grid (EPSG:3857, 256 px): Mapbox vector tiles built by PostGIS
 * ({@code ST_AsMVT}) with only the attributes the caller may see, and PNG tiles drawn by the renderer in 4×4
 * metatiles (labels are never cut at tile borders). Both go through a bounded two-level cache (memory, disk)
 * keyed by layer, style, attribute visibility and tile, with ETags; a {@link vn.landgis.cadastre.RegisterChanged}
 * event evicts every cached tile under the changed extent.
 */
package vn.landgis.tiles;
