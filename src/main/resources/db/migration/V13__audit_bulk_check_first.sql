-- The row audit trigger converted every row to JSON (geometry included) before it looked at landgis.audit_bulk,
-- so a bulk publish, which writes one batch-level audit event of its own, paid for two JSON conversions per
-- parcel version that it then threw away. The setting is now read first.
CREATE OR REPLACE FUNCTION audit.record_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
BEGIN
    IF coalesce(current_setting('landgis.audit_bulk', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    old_row := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END;
    new_row := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END;
    -- geometries as a digest: the versions themselves stay in cadastre.parcel for ever
    IF old_row ? 'geom' THEN old_row := old_row || jsonb_build_object('geom', md5(ST_AsEWKB(OLD.geom)::text)); END IF;
    IF new_row ? 'geom' THEN new_row := new_row || jsonb_build_object('geom', md5(ST_AsEWKB(NEW.geom)::text)); END IF;
    INSERT INTO audit.event (actor, action, target, before, after)
    VALUES (coalesce(nullif(current_setting('landgis.actor', true), ''), current_user),
            lower(TG_OP), TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME || ':' || coalesce(new_row ->> 'id', old_row ->> 'id'),
            old_row, new_row);
    RETURN NULL;
END $$;
