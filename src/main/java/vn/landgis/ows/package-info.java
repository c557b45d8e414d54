/**
 * The OGC protocol edge: WMS 1.3.0 (and 1.1.1 GetMap for older clients), WMTS 1.0 and WFS 2.0 with WFS-T at
 * {@code /ows}, with OGC exception reports for every bad request. This package parses and checks parameters, asks the
 * {@link vn.landgis.features.LayerCatalog}, the {@link vn.landgis.rendering.MapComposer}, the tile sources and, for
 * WFS-T Transactions, the {@link vn.landgis.editing.ParcelEditor}, and encodes answers. It never builds SQL.
 */
package vn.landgis.ows;
