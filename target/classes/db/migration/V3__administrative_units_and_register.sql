-- Administrative units, as the data was made (before 1 July 2025: province / district / commune) and as they
-- are since the 2025 reform (province / commune), with the old -> new succession (Resolution 202/2025/QH15).
-- Geometries are in the province's storage CRS (${storage_srid}).

CREATE TABLE cadastre.admin_unit_legacy (
    code        text PRIMARY KEY,                         -- GSO code: 2 digits province, 3 district, 5 commune
    level       text NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    kind        text NOT NULL,                            -- province, city, town, district, ward, commune, township
    name        text NOT NULL,
    parent_code text REFERENCES cadastre.admin_unit_legacy (code),
    source_srid integer,                                  -- the TM-3 system its cadastral sheets were drawn in
    geom        geometry(MultiPolygon, ${storage_srid}),
    CHECK ((level = 'province') = (parent_code IS NULL))
);
CREATE INDEX admin_unit_legacy_parent_idx ON cadastre.admin_unit_legacy (parent_code);
CREATE INDEX admin_unit_legacy_geom_idx ON cadastre.admin_unit_legacy USING gist (geom);

CREATE TABLE cadastre.admin_unit (
    code        text PRIMARY KEY,                         -- post-2025 code
    level       text NOT NULL CHECK (level IN ('province', 'commune')),
    kind        text NOT NULL,                            -- province, city, ward, commune, special zone
    name        text NOT NULL,
    parent_code text REFERENCES cadastre.admin_unit (code),
    geom        geometry(MultiPolygon, ${storage_srid}),
    CHECK ((level = 'province') = (parent_code IS NULL))
);
CREATE INDEX admin_unit_geom_idx ON cadastre.admin_unit USING gist (geom);

-- An old commune went whole into one new commune in most cases; where it was split, each part is a row.
CREATE TABLE cadastre.commune_succession (
    legacy_code text NOT NULL REFERENCES cadastre.admin_unit_legacy (code),
    new_code    text NOT NULL REFERENCES cadastre.admin_unit (code),
    whole       boolean NOT NULL DEFAULT true,
    PRIMARY KEY (legacy_code, new_code)
);
CREATE INDEX commune_succession_new_idx ON cadastre.commune_succession (new_code);

-- Land-use types (Circular 08/2024/TT-BTNMT) with the national map colour; legacy codes point at their successor.
CREATE TABLE cadastre.land_use_type (
    code        text PRIMARY KEY,
    name_vi     text NOT NULL,
    name_en     text NOT NULL,
    category    text NOT NULL CHECK (category IN ('agricultural', 'non_agricultural', 'residential', 'unused')),
    color       text NOT NULL CHECK (color ~ '^#[0-9A-F]{6}$'),
    current     boolean NOT NULL DEFAULT true,            -- false: a legacy code kept to read older data
    successor   text REFERENCES cadastre.land_use_type (code)
);

-- Every change to the register is one row here: an import batch, a split, a merge, an edit, an undo.
CREATE TABLE cadastre.change (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('import', 'split', 'merge', 'boundary', 'attributes', 'undo', 'demo')),
    happened_at timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    reason      text,                                     -- dossier / decision number, import batch name
    details     jsonb NOT NULL DEFAULT '{}'
);

-- Map sheets (to ban do): numbered from 1 within each OLD commune; drawn in their own TM-3 system.
CREATE TABLE cadastre.map_sheet (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    commune_code text NOT NULL REFERENCES cadastre.admin_unit_legacy (code),
    sheet_no     integer NOT NULL CHECK (sheet_no > 0),
    scale        integer NOT NULL CHECK (scale IN (200, 500, 1000, 2000, 5000, 10000)),
    grid_ref     text,                                    -- the sheet's place on the national grid
    source_srid  integer NOT NULL,
    change_id    bigint REFERENCES cadastre.change (id),
    geom         geometry(Polygon, ${storage_srid}),
    UNIQUE (commune_code, sheet_no)
);
CREATE INDEX map_sheet_geom_idx ON cadastre.map_sheet USING gist (geom);

-- Parcels (thua dat), one row per version. parcel_id is the parcel's surrogate id across its attribute
-- edits; id is the version. The natural key (old commune, sheet, parcel number) is unique among current rows.
-- A version is current while valid_to is null; history views pick valid_from <= t < valid_to.
CREATE SEQUENCE cadastre.parcel_id_seq;
CREATE TABLE cadastre.parcel (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parcel_id        bigint NOT NULL DEFAULT nextval('cadastre.parcel_id_seq'),
    commune_code     text NOT NULL REFERENCES cadastre.admin_unit_legacy (code),
    new_commune_code text REFERENCES cadastre.admin_unit (code),
    sheet_no         integer NOT NULL CHECK (sheet_no > 0),
    parcel_no        integer NOT NULL CHECK (parcel_no > 0),
    land_use_code    text NOT NULL REFERENCES cadastre.land_use_type (code),
    legal_area       numeric(14, 1),                      -- registered area on the certificate, m2
    geom_area        numeric(14, 2) NOT NULL,             -- area of the polygon in the sheet's source CRS, m2
    address          text,
    geom             geometry(MultiPolygon, ${storage_srid}) NOT NULL,
    valid_from       timestamptz NOT NULL,
    valid_to         timestamptz,
    opened_by        bigint NOT NULL REFERENCES cadastre.change (id),
    closed_by        bigint REFERENCES cadastre.change (id),
    row_version      integer NOT NULL DEFAULT 0,
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    CHECK ((valid_to IS NULL) = (closed_by IS NULL))
);
CREATE UNIQUE INDEX parcel_current_key_idx ON cadastre.parcel (commune_code, sheet_no, parcel_no) WHERE valid_to IS NULL;
CREATE INDEX parcel_key_idx ON cadastre.parcel (commune_code, sheet_no, parcel_no);
CREATE INDEX parcel_parcel_id_idx ON cadastre.parcel (parcel_id);
CREATE INDEX parcel_current_geom_idx ON cadastre.parcel USING gist (geom) WHERE valid_to IS NULL;
CREATE INDEX parcel_geom_idx ON cadastre.parcel USING gist (geom);
CREATE INDEX parcel_new_commune_idx ON cadastre.parcel (new_commune_code) WHERE valid_to IS NULL;

-- Lineage across splits and merges: the versions a change closed and the ones it opened.
CREATE TABLE cadastre.parcel_lineage (
    parent_version bigint NOT NULL REFERENCES cadastre.parcel (id),
    child_version  bigint NOT NULL REFERENCES cadastre.parcel (id),
    change_id      bigint NOT NULL REFERENCES cadastre.change (id),
    PRIMARY KEY (parent_version, child_version)
);
CREATE INDEX parcel_lineage_child_idx ON cadastre.parcel_lineage (child_version);

CREATE VIEW cadastre.current_parcel AS
    SELECT * FROM cadastre.parcel WHERE valid_to IS NULL;

CREATE TABLE audit.event (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    happened_at timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    action      text NOT NULL,
    target      text,
    details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_event_time_idx ON audit.event (happened_at);
