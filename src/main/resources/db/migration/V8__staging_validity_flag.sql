-- Whether the delivered geometry was valid, computed once with the transform (the checks read it, not ST_IsValid again).
ALTER TABLE staging.parcel ADD COLUMN source_valid boolean;
