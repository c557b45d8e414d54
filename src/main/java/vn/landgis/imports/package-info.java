/**
 * Import of district deliveries into the register: readers (GeoPackage, Shapefile with legacy Vietnamese
 * encodings), attribute mapping, geometry checks, staging, validation into findings, and atomic publish.
 */
package vn.landgis.imports;
