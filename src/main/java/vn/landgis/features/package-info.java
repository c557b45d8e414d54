/**
 * The catalog of published collections and the way to read them.
 *
 * <p>Layers are declared in configuration ({@code landgis.catalog.layers}): the {@code ows.*} view that holds a
 * layer, its geometry and id columns, its attributes and which roles see each, its default style and scale
 * range. At start-up {@link vn.landgis.features.LayerCatalog} checks every declaration against the database
 * catalog and refuses to start on a name that does not exist, so the names that reach SQL are exactly the
 * ones PostgreSQL itself reported. Protocol code (WMS, WFS, tiles) asks a {@link vn.landgis.features.FeatureSource}
 * with a {@link vn.landgis.features.FeatureQuery} and never sees SQL; {@code features.postgis} builds the SQL
 * from bound parameters and catalog names only.
 */
package vn.landgis.features;
