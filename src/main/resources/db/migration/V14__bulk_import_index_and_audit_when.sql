-- The streaming checks leave only the invalid geometries to PostGIS (transform, ST_MakeValid, their findings):
-- a small partial index finds them without reading the batch's other rows.
CREATE INDEX staging_parcel_invalid_idx ON staging.parcel (batch_id) WHERE NOT source_valid;

-- The parcels' row audit trigger is skipped by its WHEN clause during a bulk publish (landgis.audit_bulk = on,
-- which writes one batch-level event instead): an AFTER trigger whose function returns at once still queues
-- one event per row for the end of the statement, a million of them at province scale.
DROP TRIGGER parcel_audit ON cadastre.parcel;
CREATE TRIGGER parcel_audit AFTER INSERT OR UPDATE OR DELETE ON cadastre.parcel FOR EACH ROW
    WHEN (coalesce(current_setting('landgis.audit_bulk', true), '') <> 'on') EXECUTE FUNCTION audit.record_row();
