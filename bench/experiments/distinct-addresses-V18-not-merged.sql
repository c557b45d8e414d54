-- NOT A MIGRATION (kept out of db/migration on purpose): the address search's trigram index over distinct
-- addresses, tried on 2026-12-06 and measured neutral at the generator's 37 % distinct addresses (bench/imports.md,
-- seventh session). Beside it the publish and the demo load inserted their distinct addresses
-- (INSERT INTO cadastre.address (text) SELECT DISTINCT address ... ON CONFLICT (md5(text)) DO NOTHING) and the search
-- joined cadastre.address to the current parcels on the address. Worth trying again on a real rural delivery.
-- The address search's trigram index moves from the parcels to their distinct addresses. A district's parcels share
-- few addresses (ấp, xã; a street): 383 292 distinct among 1 040 705 generated parcels, far fewer in rural
-- deliveries. Maintaining the trigram GIN row by row was about 13 s of a 1 M-parcel publish into a register that
-- already holds a district, building it 7.3 s of a first load (bench/imports.md); the parcels keep a hash index on
-- the address (equality only, any length; about 1 s a million rows), and the trigrams are those of each distinct
-- address once.
CREATE TABLE cadastre.address (
    text text NOT NULL
);
-- unique by a digest: a btree over the text itself refuses entries over 2 704 bytes, and an address is any text
CREATE UNIQUE INDEX address_text_key ON cadastre.address (md5(text));
CREATE INDEX address_trgm_idx ON cadastre.address USING gin (cadastre.search_text(text) gin_trgm_ops);
COMMENT ON TABLE cadastre.address IS
    'The distinct addresses the register''s parcels have had, for the diacritics-insensitive address search (never deleted: an address no current parcel holds finds nothing)';

INSERT INTO cadastre.address (text) SELECT DISTINCT address FROM cadastre.parcel WHERE address IS NOT NULL;

DROP INDEX cadastre.parcel_address_trgm_idx;
CREATE INDEX parcel_address_idx ON cadastre.parcel USING hash (address) WHERE valid_to IS NULL;

-- every write of an address adds it; a bulk load (landgis.audit_bulk = on: import publish, demo load) adds its
-- distinct addresses itself, once per statement instead of once per row
CREATE FUNCTION cadastre.remember_address() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cadastre.address (text) VALUES (NEW.address) ON CONFLICT (md5(text)) DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER parcel_address AFTER INSERT OR UPDATE OF address ON cadastre.parcel FOR EACH ROW
    WHEN (NEW.address IS NOT NULL AND coalesce(current_setting('landgis.audit_bulk', true), '') <> 'on')
    EXECUTE FUNCTION cadastre.remember_address();
