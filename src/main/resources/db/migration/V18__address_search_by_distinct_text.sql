-- The address search's trigram index moves from the parcels to the distinct address strings, in a table partitioned
-- by who wrote them (docs/decisions/2026-12-07-address-search-partitions.md). A district's delivery repeats its
-- addresses (ấp, xã, street: 383 292 distinct strings among 1 040 705 generated parcels), and an import builds its
-- strings' partition, GIN included, on a connection of its own beside the publishing transaction, which attaches the
-- finished partition (SHARE UPDATE EXCLUSIVE on the parent: searches go on) instead of maintaining or rebuilding a
-- trigram GIN over every parcel (9 s of a 1 M first load's publish, about 13 s of a later district's).
--
-- A string stays after the last parcel that carried it is closed: the search joins the current parcels by their
-- address (hash index below), so a string nobody carries any more finds nothing. Duplicates across partitions are
-- harmless (the search takes each string once).
CREATE TABLE cadastre.address_text (
    part    bigint NOT NULL,   -- 0: written by the register's trigger (edits, splits, merges, demo data); n: import batch n
    address text NOT NULL,     -- as in cadastre.parcel.address
    key     text NOT NULL      -- cadastre.search_text(address): lower case, no diacritics
) PARTITION BY LIST (part);
CREATE TABLE cadastre.address_text_live PARTITION OF cadastre.address_text FOR VALUES IN (0);
CREATE INDEX address_text_key_trgm_idx ON cadastre.address_text USING gin (key gin_trgm_ops);
CREATE INDEX address_text_address_idx ON cadastre.address_text USING hash (address);

INSERT INTO cadastre.address_text (part, address, key)
SELECT 0, address, cadastre.search_text(address)
FROM (SELECT DISTINCT address FROM cadastre.parcel WHERE valid_to IS NULL AND address IS NOT NULL) d;

DROP INDEX cadastre.parcel_address_trgm_idx;
-- hash, not b-tree: an address has no length limit here, and a b-tree entry does (about 2.7 kB)
CREATE INDEX parcel_address_idx ON cadastre.parcel USING hash (address) WHERE valid_to IS NULL;

-- Every current version's address must be among the strings (a version inserted, readdressed or opened again). A bulk writer that adds its strings itself (the
-- import's publish, the demo loader) sets landgis.address_bulk = on for its transaction and skips the trigger.
CREATE FUNCTION cadastre.address_text_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM cadastre.address_text WHERE address = NEW.address) THEN
        INSERT INTO cadastre.address_text (part, address, key) VALUES (0, NEW.address, cadastre.search_text(NEW.address));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER parcel_address_text AFTER INSERT OR UPDATE OF address, valid_to ON cadastre.parcel FOR EACH ROW
    WHEN (NEW.address IS NOT NULL AND NEW.valid_to IS NULL AND coalesce(current_setting('landgis.address_bulk', true), '') <> 'on')
    EXECUTE FUNCTION cadastre.address_text_add();
