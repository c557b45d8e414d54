-- pgbench side of bench/planning.sh: what PlanningOverlay asks PostgreSQL for one parcel (its zones and road
-- reserves cut by it), the parcel's geometry fetched by id as the service does first
\set id random(:min, :max)
SELECT ST_AsBinary(geom) FROM cadastre.parcel WHERE parcel_id = :id AND valid_to IS NULL;
SELECT z.plan_id, z.id, z.zone_code, z.land_use_code, ST_AsBinary(ST_CollectionExtract(ST_Intersection(z.geom, g.geom), 3))
  FROM (SELECT geom FROM cadastre.parcel WHERE parcel_id = :id AND valid_to IS NULL) g
  JOIN planning.zone z ON z.geom && g.geom AND ST_Intersects(z.geom, g.geom)
  JOIN planning.plan p ON p.id = z.plan_id AND p.status = 'in_force';
SELECT l.plan_id, l.id, ST_AsBinary(ST_CollectionExtract(ST_Intersection(ST_Buffer(l.geom, l.width_m / 2, 'endcap=flat join=mitre'), g.geom), 3))
  FROM (SELECT geom FROM cadastre.parcel WHERE parcel_id = :id AND valid_to IS NULL) g
  JOIN planning.line l ON l.geom && ST_Expand(g.geom, 250) AND ST_DWithin(l.geom, g.geom, COALESCE(l.width_m, 0) / 2)
  JOIN planning.plan p ON p.id = l.plan_id AND p.status = 'in_force';
