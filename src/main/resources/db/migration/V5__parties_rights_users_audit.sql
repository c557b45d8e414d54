-- Parties (owners and users of land: LA_Party) and their rights on a parcel version (LA_RRR).
-- Personal data: only land officers' queries read these tables (vn.landgis.cadastre.ParcelLookup).
CREATE TABLE cadastre.party (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('person', 'household', 'organisation', 'state')),
    full_name   text NOT NULL,
    id_number   text,                                  -- CCCD (12 digits) or organisation code
    address     text,
    birth_year  integer
);

CREATE TABLE cadastre.land_right (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parcel_version     bigint NOT NULL REFERENCES cadastre.parcel (id),
    party_id           bigint NOT NULL REFERENCES cadastre.party (id),
    right_type         text NOT NULL CHECK (right_type IN ('land_use', 'ownership_of_house', 'lease', 'state_management')),
    share              numeric(5, 4) NOT NULL DEFAULT 1 CHECK (share > 0 AND share <= 1),
    certificate_no     text,                           -- GCN serial, e.g. "CS 012345"
    certificate_date   date,
    term_until         date                            -- null: long-term use
);
CREATE INDEX land_right_parcel_idx ON cadastre.land_right (parcel_version);
CREATE INDEX land_right_party_idx ON cadastre.land_right (party_id);

-- Diacritics-insensitive, typo-tolerant search (unaccent + trigrams) over addresses and commune names.
-- unaccent() is only STABLE; this two-argument call is safe to declare IMMUTABLE for index expressions.
CREATE FUNCTION cadastre.search_text(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;
CREATE INDEX party_name_trgm_idx ON cadastre.party USING gin (cadastre.search_text(full_name) gin_trgm_ops);
CREATE INDEX parcel_address_trgm_idx ON cadastre.parcel USING gin (cadastre.search_text(address) gin_trgm_ops) WHERE valid_to IS NULL;
CREATE INDEX admin_unit_legacy_name_trgm_idx ON cadastre.admin_unit_legacy USING gin (cadastre.search_text(name) gin_trgm_ops);
CREATE INDEX admin_unit_name_trgm_idx ON cadastre.admin_unit USING gin (cadastre.search_text(name) gin_trgm_ops);
CREATE INDEX parcel_valid_idx ON cadastre.parcel (valid_from, valid_to);

-- Local users of the embedded default (production uses OIDC); passwords hashed by Spring Security.
CREATE SCHEMA IF NOT EXISTS platform;
CREATE TABLE platform.user_account (
    username      text PRIMARY KEY CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
    password_hash text NOT NULL,
    roles         text[] NOT NULL CHECK (roles <@ ARRAY['LAND_OFFICER', 'PLANNER', 'INVESTOR', 'IOC']::text[]),
    enabled       boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Audit: append-only. Row triggers on the register record who (the transaction's landgis.actor), when, what,
-- before and after; bulk loads (landgis.audit_bulk = on) write one summary event of their own instead.
ALTER TABLE audit.event ADD COLUMN before jsonb, ADD COLUMN after jsonb;

CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit.event is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON audit.event FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON audit.event FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

CREATE FUNCTION audit.record_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END;
BEGIN
    IF coalesce(current_setting('landgis.audit_bulk', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    -- geometries as a digest: the versions themselves stay in cadastre.parcel for ever
    IF old_row ? 'geom' THEN old_row := old_row || jsonb_build_object('geom', md5(ST_AsEWKB(OLD.geom)::text)); END IF;
    IF new_row ? 'geom' THEN new_row := new_row || jsonb_build_object('geom', md5(ST_AsEWKB(NEW.geom)::text)); END IF;
    INSERT INTO audit.event (actor, action, target, before, after)
    VALUES (coalesce(nullif(current_setting('landgis.actor', true), ''), current_user),
            lower(TG_OP), TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME || ':' || coalesce(new_row ->> 'id', old_row ->> 'id'),
            old_row, new_row);
    RETURN NULL;
END $$;
CREATE TRIGGER parcel_audit AFTER INSERT OR UPDATE OR DELETE ON cadastre.parcel FOR EACH ROW EXECUTE FUNCTION audit.record_row();
CREATE TRIGGER party_audit AFTER INSERT OR UPDATE OR DELETE ON cadastre.party FOR EACH ROW EXECUTE FUNCTION audit.record_row();
CREATE TRIGGER land_right_audit AFTER INSERT OR UPDATE OR DELETE ON cadastre.land_right FOR EACH ROW EXECUTE FUNCTION audit.record_row();
CREATE TRIGGER change_audit AFTER INSERT OR UPDATE OR DELETE ON cadastre.change FOR EACH ROW EXECUTE FUNCTION audit.record_row();
