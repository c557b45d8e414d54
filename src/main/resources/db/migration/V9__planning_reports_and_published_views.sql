-- Plans and their zones and lines (quy hoạch), citizens' field reports (phản ánh hiện trường), and the views the
-- map server publishes. The planning and field-report modules extend these tables; the views are the only
-- relations the layer catalog (landgis.catalog.layers) may name, so each view's columns are its public contract.

CREATE TABLE planning.plan (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind           text NOT NULL CHECK (kind IN ('land_use', 'general', 'zoning', 'detailed')),
    name           text NOT NULL,
    scale          integer,                                 -- 500, 2000, 5000, 10000 ...
    decision_no    text,                                    -- e.g. 1234/QĐ-UBND
    decision_date  date,
    decision_body  text,                                    -- the approving body
    status         text NOT NULL DEFAULT 'in_force' CHECK (status IN ('in_force', 'superseded', 'draft')),
    district_code  text REFERENCES cadastre.admin_unit_legacy (code),
    change_id      bigint REFERENCES cadastre.change (id)
);

CREATE TABLE planning.zone (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id          bigint NOT NULL REFERENCES planning.plan (id) ON DELETE CASCADE,
    zone_code        text NOT NULL,                         -- the plan's own label: ODT-01, CX-3 ...
    land_use_code    text NOT NULL REFERENCES cadastre.land_use_type (code),
    building_density numeric(5, 2),                         -- percent
    height_limit_m   numeric(6, 1),
    max_floors       integer,
    floor_area_ratio numeric(5, 2),
    setback_m        numeric(6, 1),
    note             text,
    geom             geometry(MultiPolygon, ${storage_srid}) NOT NULL
);
CREATE INDEX zone_plan_idx ON planning.zone (plan_id);
CREATE INDEX zone_geom_idx ON planning.zone USING gist (geom);

-- Road red lines (chỉ giới đường đỏ), protection corridors and building lines.
CREATE TABLE planning.line (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id  bigint NOT NULL REFERENCES planning.plan (id) ON DELETE CASCADE,
    kind     text NOT NULL CHECK (kind IN ('red_line', 'corridor', 'building_line')),
    width_m  numeric(6, 1),
    note     text,
    geom     geometry(MultiLineString, ${storage_srid}) NOT NULL
);
CREATE INDEX line_geom_idx ON planning.line USING gist (geom);

CREATE TABLE fieldreports.report (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_code    text NOT NULL,
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'in_progress', 'closed')),
    description     text NOT NULL,
    address         text,
    commune_code    text REFERENCES cadastre.admin_unit (code),
    parcel_id       bigint,
    zone_id         bigint REFERENCES planning.zone (id) ON DELETE SET NULL,
    accuracy_m      numeric(8, 1),
    reported_at     timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- personal data: officers only, never in a published view
    reporter_name   text,
    reporter_phone  text,
    reporter_email  text,
    geom            geometry(Point, ${storage_srid}) NOT NULL
);
CREATE INDEX report_geom_idx ON fieldreports.report USING gist (geom);
CREATE INDEX report_status_idx ON fieldreports.report (status, reported_at);

CREATE SCHEMA ows;
COMMENT ON SCHEMA ows IS 'Relations published by the map server (WMS, WFS, tiles); the layer catalog names only these.';

-- Joins to reference tables are LEFT joins on primary keys, so PostgreSQL drops them when a query does not
-- select their columns (a map tile needs only the land-use code).

-- Every version of every parcel with what a map needs, for maps as of a date (valid_from <= t < valid_to). owners
-- is personal data: the catalog shows it to land officers only, and PostgreSQL evaluates the sub-query only when
-- a query selects the column.
CREATE VIEW ows.parcel_versions AS
SELECT p.id, p.parcel_id, p.commune_code, c.name AS commune_name, p.new_commune_code, p.sheet_no, p.parcel_no,
       p.land_use_code, t.name_vi AS land_use_name, p.legal_area, p.geom_area, p.address,
       p.valid_from, p.valid_to,
       (SELECT string_agg(pa.full_name, '; ' ORDER BY pa.full_name)
          FROM cadastre.land_right r JOIN cadastre.party pa ON pa.id = r.party_id
         WHERE r.parcel_version = p.id) AS owners,
       p.geom
  FROM cadastre.parcel p
  LEFT JOIN cadastre.admin_unit_legacy c ON c.code = p.commune_code
  LEFT JOIN cadastre.land_use_type t ON t.code = p.land_use_code;

-- The current parcels (the condition reaches the partial GiST index on current versions).
CREATE VIEW ows.parcels AS
SELECT * FROM ows.parcel_versions WHERE valid_to IS NULL;

CREATE VIEW ows.map_sheets AS
SELECT s.id, s.commune_code, c.name AS commune_name, s.sheet_no, s.scale, s.grid_ref, s.source_srid, s.geom
  FROM cadastre.map_sheet s LEFT JOIN cadastre.admin_unit_legacy c ON c.code = s.commune_code;

CREATE VIEW ows.communes AS
SELECT u.code AS id, u.code, u.name, u.kind, u.parent_code AS district_code, d.name AS district_name, u.geom
  FROM cadastre.admin_unit_legacy u LEFT JOIN cadastre.admin_unit_legacy d ON d.code = u.parent_code
 WHERE u.level = 'commune' AND u.geom IS NOT NULL;

CREATE VIEW ows.districts AS
SELECT u.code AS id, u.code, u.name, u.kind, u.geom
  FROM cadastre.admin_unit_legacy u
 WHERE u.level = 'district' AND u.geom IS NOT NULL;

-- The communes of the two-level government from 1 July 2025.
CREATE VIEW ows.communes_2025 AS
SELECT u.code AS id, u.code, u.name, u.kind, u.geom
  FROM cadastre.admin_unit u
 WHERE u.level = 'commune' AND u.geom IS NOT NULL;

CREATE VIEW ows.planning_zones AS
SELECT z.id, z.plan_id, p.name AS plan_name, p.kind AS plan_kind, p.decision_no, p.status AS plan_status,
       z.zone_code, z.land_use_code, t.name_vi AS land_use_name, z.building_density, z.height_limit_m,
       z.max_floors, z.floor_area_ratio, z.geom
  FROM planning.zone z
  JOIN planning.plan p ON p.id = z.plan_id
  LEFT JOIN cadastre.land_use_type t ON t.code = z.land_use_code
 WHERE p.status = 'in_force';

CREATE VIEW ows.field_reports AS
SELECT r.id, r.service_code AS category, r.status, r.description, r.commune_code, r.reported_at, r.updated_at,
       r.reporter_name, r.reporter_phone, r.geom
  FROM fieldreports.report r;

CREATE VIEW ows.import_findings AS
SELECT f.id, f.batch_id, b.district_code, f.severity, f.rule, f.commune_code, f.sheet_no, f.parcel_no,
       f.message_vi, f.message_en, f.location AS geom
  FROM staging.finding f JOIN staging.import_batch b ON b.id = f.batch_id
 WHERE f.location IS NOT NULL;

-- What a change opened and closed: the extent a published import invalidates in the tile cache, and history.
CREATE INDEX parcel_opened_by_idx ON cadastre.parcel (opened_by);
CREATE INDEX parcel_closed_by_idx ON cadastre.parcel (closed_by) WHERE closed_by IS NOT NULL;
