-- A holder name a district's map carries may name several people who hold the parcel together, as certificates
-- write spouses and co-heirs: "Nguyễn Văn An và Trần Thị Bình", "Ông Nguyễn Văn An và vợ là bà Trần Thị Bình",
-- "Lê Văn Cường, Lê Thị Dung", "Phạm Văn Em & Võ Thị Phúc". Recorded as one party, such a name was one person
-- holding the parcel. Split here into the names of the people, each a party with an equal share (the map says
-- nothing of shares), the titles ("ông", "bà", "vợ là" ...) left out. Only a person's name is split, and only when
-- every part is a person's name (three to seven words, each capitalised: "Nguyễn Văn An, Tân Bình" is a name and a
-- place): "Hộ ông A và bà B" is one household, "Công ty TNHH Xây dựng và Thương mại" one company, "Nguyễn Văn An,
-- SN 1960" or "Nguyễn Văn An và các con" one name as written.
CREATE FUNCTION cadastre.holder_names(name text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    parts text[];
    part text;
    names text[] := '{}';
BEGIN
    IF name IS NULL OR btrim(name) = '' THEN
        RETURN NULL;
    END IF;
    IF name !~* '(\s(và|cùng)\s|[,;&+]|\s-\s)' OR cadastre.party_kind(name) <> 'person' THEN
        RETURN ARRAY[btrim(name)];
    END IF;
    parts := regexp_split_to_array(btrim(name), '\s*([,;&+]|\s-\s|\s(và|cùng)\s)\s*', 'i');
    FOREACH part IN ARRAY parts LOOP
        part := btrim(regexp_replace(part, '^((ông|bà|anh|chị|cô|chú|vợ|chồng|con|mẹ|cha)(\s+là)?\s+)+', '', 'i'));
        IF part !~ '^[[:upper:]][[:alpha:]]*(\s+[[:upper:]][[:alpha:]]*){2,6}$' THEN
            RETURN ARRAY[btrim(name)];   -- not a list of people's names: one holder, as written
        END IF;
        names := names || part;
    END LOOP;
    RETURN names;
END
$$;
COMMENT ON FUNCTION cadastre.holder_names(text) IS
    'the people a delivered holder name names (joint holders split, titles left out), or the name as written';
