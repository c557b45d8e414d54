/**
 * Officers' parcel transactions (biến động đất đai): split, merge, boundary move, attribute edit, undo, and the
 * WFS-T actions (create, reshape, retire) that {@code ows} maps onto them.
 *
 * <p>Each edit is one database transaction that locks the versions it closes and every current parcel near
 * them ({@code SELECT ... ORDER BY id FOR UPDATE}: one global order, so two edits cannot deadlock), checks that
 * the versions the client edited are still current (optimistic locking: otherwise a conflict with the current
 * state), snaps and nodes geometries against the neighbours, checks the topology rules
 * ({@link vn.landgis.editing.Violation}), closes the old versions and opens the new ones with lineage, writes a
 * {@code cadastre.change} with the dossier and an audit event (the row triggers add one per row), and after
 * commit publishes {@link vn.landgis.cadastre.RegisterChanged} with the extent, so tile caches forget it.
 * Nothing is ever updated in place or deleted: history is never rewritten, an undo is a new change.
 *
 * <p>Geometries are JTS in the storage CRS (VN-2000 / TM-3, metres); areas in rules are planar storage-CRS
 * areas, {@code geom_area} is computed in the sheet's source CRS as imports do.
 */
package vn.landgis.editing;
