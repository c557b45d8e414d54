-- A parcel of several land-use purposes ("ONT+CLN": residential land with perennial crops on the same parcel, as
-- cadastral maps and certificates write it; docs/decisions/2026-12-07-several-land-uses.md). The first code stays
-- the parcel's land_use_code (its main purpose: the map colour, the statistics, the foreign key); the others, in the
-- order delivered, are land_use_other (NULL for none, as for nearly every parcel: nothing stored, where an empty
-- array would add 16 bytes to each of a district's million rows and to every bulk load). Before this, an import refused such a parcel (mixed-land-use) unless the
-- manifest named one code for the value, and the register lost the others.
ALTER TABLE cadastre.parcel
    ADD COLUMN land_use_other text[],
    ADD CONSTRAINT parcel_land_use_other_check CHECK (
        cardinality(land_use_other) BETWEEN 1 AND 8 AND array_ndims(land_use_other) = 1
        AND array_position(land_use_other, NULL) IS NULL AND NOT land_use_code = ANY (land_use_other));

-- An array has no foreign key: its codes are checked against the list where there are any (most parcels have none,
-- and the trigger's WHEN costs nothing then). A legacy code is refused as in land_use_code's editors: writers map it.
CREATE FUNCTION cadastre.land_use_other_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unknown text;
BEGIN
    SELECT string_agg(o, ', ') INTO unknown
      FROM unnest(NEW.land_use_other) o
     WHERE NOT EXISTS (SELECT 1 FROM cadastre.land_use_type t WHERE t.code = o AND t.current);
    IF unknown IS NOT NULL THEN
        RAISE foreign_key_violation USING MESSAGE = format('land_use_other: code(s) %s not current in cadastre.land_use_type', unknown);
    END IF;
    IF cardinality(NEW.land_use_other) <> (SELECT count(DISTINCT o) FROM unnest(NEW.land_use_other) o) THEN
        RAISE check_violation USING MESSAGE = 'land_use_other: a code twice';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER parcel_land_use_other AFTER INSERT OR UPDATE OF land_use_other ON cadastre.parcel
    FOR EACH ROW WHEN (NEW.land_use_other IS NOT NULL) EXECUTE FUNCTION cadastre.land_use_other_check();

-- staged: the delivery's other purposes, mapped to current codes (null: none)
ALTER TABLE staging.parcel ADD COLUMN land_use_other text[];

-- the published views: every purpose as maps and certificates write them ("ONT+CLN"), after the columns they had
CREATE OR REPLACE VIEW ows.parcel_versions AS
SELECT p.id, p.parcel_id, p.commune_code, c.name AS commune_name, p.new_commune_code, p.sheet_no, p.parcel_no,
       p.land_use_code, t.name_vi AS land_use_name, p.legal_area, p.geom_area, p.address,
       p.valid_from, p.valid_to,
       (SELECT string_agg(pa.full_name, '; ' ORDER BY pa.full_name)
          FROM cadastre.land_right r JOIN cadastre.party pa ON pa.id = r.party_id
         WHERE r.parcel_version = p.id) AS owners,
       p.geom,
       array_to_string(p.land_use_code || p.land_use_other, '+') AS land_uses
  FROM cadastre.parcel p
  LEFT JOIN cadastre.admin_unit_legacy c ON c.code = p.commune_code
  LEFT JOIN cadastre.land_use_type t ON t.code = p.land_use_code;

CREATE OR REPLACE VIEW ows.parcels AS
SELECT * FROM ows.parcel_versions WHERE valid_to IS NULL;

-- A delivered value of several purposes ("ONT+CLN", "ont + CLN", "ONT,CLN"): its codes, each current one as it is and
-- each legacy one mapped to its successor, each once, in the order written; NULL when the value is not one of several
-- codes, names a code in no list, or names more than nine. The import's SQL path (a delivery not in VN-2000 TM-3);
-- FeatureChecks does the same while reading the others.
CREATE FUNCTION staging.land_uses(raw text) RETURNS text[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN count(*) FILTER (WHERE d.code IS NULL) = 0 AND count(*) BETWEEN 1 AND 9 THEN array_agg(d.code ORDER BY d.first) END
      FROM (SELECT coalesce(t.successor, t.code) AS code, min(u.i) AS first
              FROM unnest(regexp_split_to_array(btrim(raw), '\s*[+,;/]\s*')) WITH ORDINALITY u (part, i)
              LEFT JOIN cadastre.land_use_type t ON t.code = upper(u.part)
             WHERE btrim(raw) ~* '^[a-z]{2,4}(\s*[+,;/]\s*[a-z]{2,4})+$'
             GROUP BY 1) d
$$;
