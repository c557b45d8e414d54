-- Parcels of a map sheet found drawn in the wrong CRS (wrong central meridian, no datum shift): kept out of the
-- coverage checks (one finding per sheet instead of hundreds of overlaps) and never published.
ALTER TABLE staging.parcel ADD COLUMN misplaced boolean NOT NULL DEFAULT false;
