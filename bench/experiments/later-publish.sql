-- The publishing insert of a staged batch into a register that already holds parcels, in a transaction that is
-- rolled back: one change at a time (:pre, run before the insert, e.g. dropping an index or disabling triggers) to
-- see what the row-by-row maintenance costs (bench/imports.md, seventh session). Stage the batch first with a dry
-- run (`landgis.jar import --district 794 --dry-run FILE`), then, VACUUM between tries (a rolled-back insert leaves
-- dead index entries that slow the next try):
--   psql -d landgis_bench_imports -c 'VACUUM cadastre.parcel'
--   psql -d landgis_bench_imports -v batch=11 -v pre='ALTER TABLE cadastre.parcel DISABLE TRIGGER ALL;' -v post='SELECT 1;' -f later-publish.sql
\timing on
BEGIN;
SET LOCAL landgis.audit_bulk = 'on';
SET LOCAL maintenance_work_mem = '256MB';
INSERT INTO cadastre.change (kind, actor) VALUES ('import', 'exp') RETURNING id \gset
:pre
INSERT INTO cadastre.parcel (parcel_id, commune_code, new_commune_code, sheet_no, parcel_no, land_use_code, legal_area, geom_area, address, geom, valid_from, opened_by)
SELECT nextval('cadastre.parcel_id_seq'), s.commune_code, null, s.sheet_no, s.parcel_no, s.land_use_code, s.legal_area, s.geom_area, s.address, s.geom, now(), :id
FROM staging.parcel s WHERE s.batch_id = :batch AND NOT s.rejected;
:post
ROLLBACK;
