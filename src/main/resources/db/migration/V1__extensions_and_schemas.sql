-- The extensions are created by scripts/db-up.sh as a superuser where the application role is not one;
-- IF NOT EXISTS makes this a no-op there and does the work on a database where landgis owns everything.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE SCHEMA IF NOT EXISTS cadastre;      -- the land register: units, sheets, parcels and their versions
CREATE SCHEMA IF NOT EXISTS planning;      -- plans, zones, lines
CREATE SCHEMA IF NOT EXISTS fieldreports;  -- citizens' reports (Open311)
CREATE SCHEMA IF NOT EXISTS staging;       -- import batches before they are published
CREATE SCHEMA IF NOT EXISTS audit;         -- who changed what, when, why
