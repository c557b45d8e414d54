-- How many parcels each commune brought in a batch, kept beside the findings: the report's per-commune sheet reads
-- it, so that the staged parcels of a finished batch (a table of their own since V15) can be dropped after a while
-- (landgis.imports.staging-retention-days) without the report losing its counts.
CREATE TABLE staging.batch_commune (
    batch_id      bigint NOT NULL REFERENCES staging.import_batch (id),
    commune_code  text,
    parcels       integer NOT NULL
);
CREATE INDEX batch_commune_batch_idx ON staging.batch_commune (batch_id);
INSERT INTO staging.batch_commune (batch_id, commune_code, parcels)
SELECT batch_id, commune_code, count(*) FROM staging.parcel GROUP BY batch_id, commune_code;
