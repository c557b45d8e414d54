-- Import batches: everything a delivery brings lands in staging first; publish moves a batch into the register in
-- one transaction, or not at all.
CREATE TABLE staging.import_batch (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_code     text NOT NULL REFERENCES cadastre.admin_unit_legacy (code),
    source_name       text NOT NULL,
    checksum          text NOT NULL,                 -- SHA-256 of the delivered file(s)
    status            text NOT NULL CHECK (status IN ('reading', 'validating', 'validated', 'publishing', 'published', 'rejected', 'failed', 'duplicate')),
    dry_run           boolean NOT NULL DEFAULT false,
    actor             text NOT NULL,
    source_srid       integer,
    source_crs_note   text,
    encoding          text,
    encoding_note     text,
    feature_count     integer NOT NULL DEFAULT 0,
    accepted_count    integer NOT NULL DEFAULT 0,
    rejected_count    integer NOT NULL DEFAULT 0,
    progress          numeric(5, 4) NOT NULL DEFAULT 0,
    message           text,
    published_change  bigint REFERENCES cadastre.change (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz
);
CREATE UNIQUE INDEX import_batch_published_once_idx ON staging.import_batch (district_code, checksum) WHERE status = 'published';

CREATE TABLE staging.parcel (
    batch_id       bigint NOT NULL REFERENCES staging.import_batch (id) ON DELETE CASCADE,
    feature_no     integer NOT NULL,
    commune_code   text,
    sheet_no       integer,
    parcel_no      integer,
    land_use_raw   text,
    land_use_code  text,
    legal_area     numeric(14, 1),
    geom_area      numeric(14, 2),
    address        text,
    owner          text,
    map_scale      integer,
    source_geom    geometry,                          -- as delivered, in the delivery's CRS (rings closed)
    geom           geometry(MultiPolygon, ${storage_srid}),   -- in storage, made valid
    rejected       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (batch_id, feature_no)
);
CREATE INDEX staging_parcel_geom_idx ON staging.parcel USING gist (geom);
CREATE INDEX staging_parcel_key_idx ON staging.parcel (batch_id, commune_code, sheet_no, parcel_no);

CREATE TABLE staging.finding (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id      bigint NOT NULL REFERENCES staging.import_batch (id) ON DELETE CASCADE,
    severity      text NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
    rule          text NOT NULL,
    feature_no    integer,
    commune_code  text,
    sheet_no      integer,
    parcel_no     integer,
    location      geometry(Point, ${storage_srid}),
    message_vi    text NOT NULL,
    message_en    text NOT NULL,
    details       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX finding_batch_idx ON staging.finding (batch_id, rule);
