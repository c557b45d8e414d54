-- The planning zones as they were in force at a time, for the map layer's asOf (WMS, WFS, tiles, the planning sheet's
-- map), as the parcels' history is: a plan's zones are in force from the start of its decision day (Vietnam's time)
-- until it was superseded (superseded_at). The same rule as the planning answer's as of a date (PlanningOverlay): a
-- draft never, a plan without a decision date since always, a plan superseded without a known time (delivered so, or
-- superseded before V23) never.
CREATE VIEW ows.planning_zone_versions AS
SELECT z.id, z.plan_id, p.name AS plan_name, p.kind AS plan_kind, p.decision_no, p.status AS plan_status,
       z.zone_code, z.land_use_code, t.name_vi AS land_use_name, z.building_density, z.height_limit_m,
       z.max_floors, z.floor_area_ratio, z.geom,
       CASE WHEN p.decision_date IS NULL THEN '-infinity'::timestamptz
            ELSE p.decision_date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' END AS valid_from,
       CASE WHEN p.status = 'in_force' THEN NULL ELSE p.superseded_at END AS valid_to
  FROM planning.zone z
  JOIN planning.plan p ON p.id = z.plan_id
  LEFT JOIN cadastre.land_use_type t ON t.code = z.land_use_code
 WHERE p.status = 'in_force' OR (p.status = 'superseded' AND p.superseded_at IS NOT NULL);
