-- The GiST over every version of every parcel becomes one over the closed versions only, beside the one over the
-- current versions (V3): a new version was indexed twice (both GiST held every current row), and the two were a
-- third of a publish's index maintenance (bench/imports.md). Every query over all versions asks for the versions
-- of a date, "valid_to IS NULL OR valid_to > t" (ParcelLookup, the features' and tiles' history relation, the
-- planning overlay): PostgreSQL reads it as a BitmapOr of the two partial indexes (valid_to > t implies valid_to
-- IS NOT NULL). Queries over current versions keep using parcel_current_geom_idx.
CREATE INDEX parcel_closed_geom_idx ON cadastre.parcel USING gist (geom) WHERE valid_to IS NOT NULL;
DROP INDEX cadastre.parcel_geom_idx;
