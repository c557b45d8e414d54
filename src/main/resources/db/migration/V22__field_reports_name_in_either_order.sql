-- A reporter's own name typed into a report's free text is hidden in either order. Open311 gives the name in two
-- fields (first_name, last_name); a Vietnamese citizen types the family name (Họ) first, "Nguyễn Thị Hoa", while the
-- fields joined in the Western order give "Thị Hoa Nguyễn": V20 hid only the order the row holds (found by a
-- black-box trial: "Tôi là Nguyễn Thị Hoa" stayed public). The name is now matched in the order stored, with its last
-- word first and with its first word last, any run of spaces between the words, case ignored. The given name alone
-- ("chị Hoa") is not hidden: one word would hide ordinary words ("hoa", "văn minh").

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

CREATE OR REPLACE FUNCTION fieldreports.public_text(t text, reporter_name text, reporter_phone text, reporter_email text)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(t,
           -- the reporter's own contacts, as typed ('***=': the rest is a literal string); the name in either order
           coalesce(fieldreports.name_pattern(reporter_name), '***=' || chr(1)), '[đã ẩn]', 'gi'),
           CASE WHEN length(btrim(reporter_phone)) >= 6 THEN '***=' || btrim(reporter_phone) ELSE '***=' || chr(1) END, '[đã ẩn]', 'g'),
           CASE WHEN length(btrim(reporter_email)) >= 3 THEN '***=' || btrim(reporter_email) ELSE '***=' || chr(1) END, '[đã ẩn]', 'gi'),
           '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}', '[đã ẩn]', 'g'),
           '((CMND|CCCD|CMT|căn cước|định danh)[^0-9]{0,24})[0-9]{9,12}(?![0-9])', '\1[đã ẩn]', 'gi'),
           '(?<![0-9])(?<![0-9][.,])(\+84|84|\(?0)([ .()-]{0,2}[0-9]){8,11}(?![0-9])', '[đã ẩn]', 'g')
$$;

-- the stored public twins of the rows already there, computed again (a generated column is written on update)
UPDATE fieldreports.report SET reporter_name = reporter_name WHERE reporter_name IS NOT NULL;
