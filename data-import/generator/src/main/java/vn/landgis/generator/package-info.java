/**
 * The synthetic cadastre generator: a deterministic district that looks like a real Vietnamese one
 * (wards with 40-400 m² town lots, rural communes with house-and-garden lots and paddy strips up to 5 ha,
 * roads and canals that are parcels too, map sheets on the national grid, parcel numbers per sheet),
 * written as district deliveries are (GeoPackage, GeoJSON, Shapefile with UTF-8, TCVN3 or VNI-Windows
 * .dbf), with defects injected at a given rate and listed in a side file so tests can count them.
 *
 * <p>Tests and benchmarks use it; nothing large is committed. It needs no database.
 */
package vn.landgis.generator;
