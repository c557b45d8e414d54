-- GeoJSON geometries in a projected CRS name it as EPSG does. The VN-2000 systems are in spatial_ref_sys under the
-- authority LANDGIS (V2: so that PostGIS transforms with the pinned parameters, not PROJ's own idea of the code), and
-- ST_AsGeoJSON's default names a geometry's CRS from that authority: "LANDGIS:9210", which GDAL and QGIS do not know
-- and read as WGS 84 (found by a black-box trial of /api/parcels?crs=EPSG:9210). The codes are EPSG's.
CREATE FUNCTION cadastre.geojson(g geometry, decimals int) RETURNS json LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE WHEN ST_SRID(g) IN (0, 4326) THEN ST_AsGeoJSON(g, decimals, 0)::json
            ELSE (ST_AsGeoJSON(g, decimals, 0)::jsonb
                  || jsonb_build_object('crs', jsonb_build_object('type', 'name', 'properties', jsonb_build_object('name', 'EPSG:' || ST_SRID(g)))))::json
       END
$$;
