-- pgbench side of bench/lookup.sh: the service's point look-up (ParcelLookup.atSql, public answer, WGS 84 in and
-- out, 5 m tolerance), the same text the service sends (ParcelLookupSqlTest keeps them equal), at a uniformly random
-- point of the district's extent (the variables are set by bench/lookup.sh through pgbench -D).
\set lon :west + random(0, 1000000) * (:east - :west) / 1000000.0
\set lat :south + random(0, 1000000) * (:north - :south) / 1000000.0
WITH pt AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), 9210) AS g)
SELECT json_build_object('type', 'Feature', 'id', p.parcel_id, 'geometry', ST_AsGeoJSON(ST_Transform(p.geom, 4326), 8, 0)::json, 'properties', json_build_object( 'parcelId', p.parcel_id, 'versionId', p.id, 'communeCode', p.commune_code, 'communeName', c.name, 'districtCode', c.parent_code, 'districtName', d.name, 'newCommuneCode', p.new_commune_code, 'newCommuneName', n.name, 'sheetNo', p.sheet_no, 'parcelNo', p.parcel_no, 'landUseCode', p.land_use_code, 'landUseName', t.name_vi, 'landUseNameEn', t.name_en, 'landUses', array_to_string(p.land_use_code || p.land_use_other, '+'), 'otherLandUses', (SELECT coalesce(json_agg(json_build_object('code', o.code, 'name', ot.name_vi, 'nameEn', ot.name_en) ORDER BY o.i), '[]'::json) FROM unnest(p.land_use_other) WITH ORDINALITY o (code, i) LEFT JOIN cadastre.land_use_type ot ON ot.code = o.code), 'legalArea', p.legal_area, 'geomArea', p.geom_area, 'address', p.address, 'validFrom', p.valid_from, 'validTo', p.valid_to, 'distance', round(p.dist::numeric, 2)))::text
FROM (SELECT q.*, ST_Distance(q.geom, pt.g) AS dist FROM cadastre.parcel q, pt WHERE q.valid_to IS NULL AND ST_DWithin(q.geom, pt.g, 5) ORDER BY ST_Distance(q.geom, pt.g), q.id LIMIT 1) p
 JOIN cadastre.admin_unit_legacy c ON c.code = p.commune_code
 LEFT JOIN cadastre.admin_unit_legacy d ON d.code = c.parent_code
 LEFT JOIN cadastre.admin_unit n ON n.code = p.new_commune_code
 JOIN cadastre.land_use_type t ON t.code = p.land_use_code ;
