-- A reporter's own name typed into a report's free text is hidden in either order. Open311 gives the name in two
-- fields (first_name, last_name); a Vietnamese citizen types the family name (Họ) first, "Nguyễn Thị Hoa", while the
-- fields joined in the Western order give "Thị Hoa Nguyễn": V20 hid only the order the row holds (found by a
-- black-box trial: "Tôi là Nguyễn Thị Hoa" stayed public). The name is now matched in the order stored, with its last
-- word first and with its first word last, as whole words, any run of spaces between them, case and diacritics ignored
-- ("nguyen thi hoa" typed on a phone without Vietnamese input is the same name). The given name alone ("chị Hoa",
-- "Thị Hoa") is not hidden: a word or two would hide ordinary words ("hoa", "văn minh"); a reporter who gave one word
-- as their name has it hidden only as written (capital first).

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

-- Vietnamese text folded letter for letter: lower case, the tone and vowel marks off, đ as d. One letter for one
-- letter always (unaccent spells "…" or "ß" with several, which would shift every position after them), so that a
-- match in the folded text is at the same place in the text as written.
CREATE FUNCTION fieldreports.fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
SELECT translate(lower(t), 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ', 'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd')
$$;

-- The text with the reporter's name hidden wherever it stands as whole words, written with or without diacritics and
-- in any case: the name's words are sought in the folded text and the same letters are replaced in the text as
-- written. A one-word name is hidden only as written (capital first: "anh Minh", not "thông minh"), and a name of fewer
-- than four letters not at all.
CREATE FUNCTION fieldreports.hide_name(t text, reporter_name text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    name text := btrim(reporter_name);
    pattern text;
    folded text;
    hits int[] := '{}';
    at int := 1;
    found int;
    stop int;
    result text := t;
BEGIN
    IF t IS NULL OR name IS NULL OR length(name) < 4 THEN
        RETURN t;
    END IF;
    IF name !~ '\s' THEN
        RETURN regexp_replace(t, '\y' || fieldreports.name_pattern(name) || '\y', '[đã ẩn]', 'g');
    END IF;
    pattern := '\y(?:' || fieldreports.name_pattern(fieldreports.fold(name)) || ')\y';
    folded := fieldreports.fold(t);
    LOOP
        found := regexp_instr(folded, pattern, at, 1, 0);
        EXIT WHEN found = 0;
        stop := regexp_instr(folded, pattern, at, 1, 1);
        EXIT WHEN stop <= found;
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
SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
           -- the reporter's name in either order, with or without diacritics; then their phone and e-mail as typed
           -- ('***=': the rest is a literal string)
           fieldreports.hide_name(t, reporter_name),
           CASE WHEN length(btrim(reporter_phone)) >= 6 THEN '***=' || btrim(reporter_phone) ELSE '***=' || chr(1) END, '[đã ẩn]', 'g'),
           CASE WHEN length(btrim(reporter_email)) >= 3 THEN '***=' || btrim(reporter_email) ELSE '***=' || chr(1) END, '[đã ẩn]', 'gi'),
           '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}', '[đã ẩn]', 'g'),
           '((CMND|CCCD|CMT|căn cước|định danh)[^0-9]{0,24})[0-9]{9,12}(?![0-9])', '\1[đã ẩn]', 'gi'),
           '(?<![0-9])(?<![0-9][.,])(\+84|84|\(?0)([ .()-]{0,2}[0-9]){8,11}(?![0-9])', '[đã ẩn]', 'g')
$$;

-- the stored public twins of the rows already there, computed again (a generated column is written on update)
UPDATE fieldreports.report SET reporter_name = reporter_name WHERE reporter_name IS NOT NULL;
