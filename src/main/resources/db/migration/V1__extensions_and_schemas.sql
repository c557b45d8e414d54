-- The extensions are created by scripts/db-up.sh as a superuser where the application role is not one;
-- IF NOT EXISTS makes this a no-op there and does the work on a database where landgis owns everything.
DO $$
DECLARE ext text;
BEGIN
    FOREACH ext IN ARRAY ARRAY['postgis', 'unaccent', 'pg_trgm'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = ext) THEN
            EXECUTE format('CREATE EXTENSION %I', ext);
        END IF;
    END LOOP;
END $$;

CREATE SCHEMA IF NOT EXISTS cadastre;      -- the land register: units, sheets, parcels and their versions
CREATE SCHEMA IF NOT EXISTS planning;      -- plans, zones, lines
CREATE SCHEMA IF NOT EXISTS fieldreports;  -- citizens' reports (Open311)
CREATE SCHEMA IF NOT EXISTS staging;       -- import batches before they are published
CREATE SCHEMA IF NOT EXISTS audit;         -- who changed what, when, why
