-- A reporter's own name typed into a report's free text is hidden in either order. Open311 gives the name in two
-- fields (first_name, last_name); a Vietnamese citizen types the family name (Họ) first, "Nguyễn Thị Hoa", while the
-- fields joined in the Western order give "Thị Hoa Nguyễn": V20 hid only the order the row holds (found by a
-- black-box trial: "Tôi là Nguyễn Thị Hoa" stayed public). The name is now matched in the order stored, with its last
-- word first and with its first word last, any run of spaces between the words, case and diacritics ignored ("nguyen
-- thi hoa" typed on a phone without Vietnamese input is the same name). The given name alone ("chị Hoa", "Thị Hoa") is
-- not hidden: a word or two would hide ordinary words ("hoa", "văn minh").

-- The name as a regular expression: its words quoted, in the three orders; null for a name of fewer than four letters
CREATE FUNCTION fieldreports.name_pattern(name text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    w text[];
    k int;
BEGIN
    IF name IS NULL OR length(btrim(name)) < 4 THEN
        RETURN NULL;
    END IF;
    w := regexp_split_to_array(regexp_replace(btrim(name), '([\[\].^$*+?(){}|\\-])', '\\\1', 'g'), '\s+');
    k := array_length(w, 1);
    IF k = 1 THEN
        RETURN w[1];
    END IF;
    RETURN array_to_string(w, '\s+')
        || '|' || w[k] || '\s+' || array_to_string(w[1:k - 1], '\s+')
        || '|' || array_to_string(w[2:k], '\s+') || '\s+' || w[1];
END
$$;

-- The text with the reporter's name hidden wherever it stands, written with or without diacritics: the name is sought
-- in the text folded as search folds it (lower case, no diacritics: one letter for one letter in NFC Vietnamese) and
-- the same letters are replaced in the text as written; a text whose folding changes its length (letters unaccent
-- spells with two) is matched as written only
CREATE FUNCTION fieldreports.hide_name(t text, reporter_name text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    pattern text := fieldreports.name_pattern(cadastre.search_text(reporter_name));
    folded text;
    hits int[] := '{}';
    at int := 1;
    found int;
    stop int;
    result text := t;
BEGIN
    IF t IS NULL OR pattern IS NULL THEN
        RETURN t;
    END IF;
    folded := cadastre.search_text(t);
    IF length(folded) <> length(t) THEN
        RETURN regexp_replace(t, fieldreports.name_pattern(reporter_name), '[đã ẩn]', 'gi');
    END IF;
    LOOP
        found := regexp_instr(folded, pattern, at, 1, 0, 'i');
        EXIT WHEN found = 0;
        stop := regexp_instr(folded, pattern, at, 1, 1, 'i');
        hits := hits || ARRAY[found, stop];
        at := stop;
    END LOOP;
    -- from the last to the first, so that the earlier positions hold
    FOR i IN REVERSE coalesce(array_length(hits, 1), 0) / 2 .. 1 LOOP
        result := overlay(result PLACING '[đã ẩn]' FROM hits[2 * i - 1] FOR hits[2 * i] - hits[2 * i - 1]);
    END LOOP;
    RETURN result;
END
$$;

CREATE OR REPLACE FUNCTION fieldreports.public_text(t text, reporter_name text, reporter_phone text, reporter_email text)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(fieldreports.hide_name(t, reporter_name),
           -- the reporter's own contacts, as typed ('***=': the rest is a literal string); the name in either order,
           -- with or without diacritics (hide_name), so nothing is left for this pattern to find
           '***=' || chr(1), '[đã ẩn]', 'gi'),
           CASE WHEN length(btrim(reporter_phone)) >= 6 THEN '***=' || btrim(reporter_phone) ELSE '***=' || chr(1) END, '[đã ẩn]', 'g'),
           CASE WHEN length(btrim(reporter_email)) >= 3 THEN '***=' || btrim(reporter_email) ELSE '***=' || chr(1) END, '[đã ẩn]', 'gi'),
           '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}', '[đã ẩn]', 'g'),
           '((CMND|CCCD|CMT|căn cước|định danh)[^0-9]{0,24})[0-9]{9,12}(?![0-9])', '\1[đã ẩn]', 'gi'),
           '(?<![0-9])(?<![0-9][.,])(\+84|84|\(?0)([ .()-]{0,2}[0-9]){8,11}(?![0-9])', '[đã ẩn]', 'g')
$$;

-- the stored public twins of the rows already there, computed again (a generated column is written on update)
UPDATE fieldreports.report SET reporter_name = reporter_name WHERE reporter_name IS NOT NULL;
