-- Each batch's staged parcels in a table of their own, a partition of staging.parcel (LIST by batch_id): the import
-- COPYs into a bare table (no index, no foreign key maintained row by row: about half of the receiving backend's
-- work for 1 M parcels) and builds the indexes its checks need once the rows are in (ImportService, StagingTable).
-- A batch's staged rows can then be dropped as one table. The parent has no index of its own: a partitioned index
-- would be built on every partition at attach time, the spatial one too, which only the SQL fallbacks need.
ALTER TABLE staging.parcel RENAME TO parcel_before_v15;
ALTER TABLE staging.parcel_before_v15 DROP CONSTRAINT IF EXISTS parcel_batch_id_fkey;
CREATE TABLE staging.parcel (LIKE staging.parcel_before_v15 INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY LIST (batch_id);

-- what earlier imports staged stays, with its indexes, as one partition holding their batch ids
DO $$
DECLARE
    ids text;
BEGIN
    SELECT string_agg(DISTINCT batch_id::text, ', ') INTO ids FROM staging.parcel_before_v15;
    IF ids IS NULL THEN
        DROP TABLE staging.parcel_before_v15;
    ELSE
        EXECUTE format('ALTER TABLE staging.parcel ATTACH PARTITION staging.parcel_before_v15 FOR VALUES IN (%s)', ids);
    END IF;
END $$;
