/**
 * The shared geodetic kernel: the VN-2000 datum and its TM-3 projections, and Vietnamese text encodings
 * found in delivered files. PostGIS does the transformations of stored data; these Java versions exist for
 * work that runs without a database (the synthetic cadastre generator, CRS detection of a delivery) and are
 * tested against PostGIS and PROJ to the millimetre.
 */
package vn.landgis.geo;
