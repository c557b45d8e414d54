-- Contacts typed into a report's free text stay with the officers. The form has fields for the reporter's name,
-- phone and e-mail, which no public endpoint shows; but citizens also write "gọi cho tôi 0912 345 678" into the
-- description itself, and officers answer with "đã liên hệ anh An, 0283 823 4567" in the status notes, both public
-- (Open311 requests, the field_reports layer in WMS/WFS/tiles). Each such text has a public twin, computed by the
-- database from the row itself (so every writer, every reader and every older row get the same answer): the
-- reporter's own name, phone and e-mail where they appear as typed, then anything shaped like an e-mail address, a
-- Vietnamese phone number (0 or +84 then 8 to 11 more digits, spaces, dots, dashes or brackets between them; a
-- 12-digit citizen-id number starting with 0 is caught by the same shape) or an identity number after "CMND",
-- "CCCD", "căn cước" or "định danh", replaced by "[đã ẩn]". Digits inside longer runs (amounts such as
-- 1.200.000.000.000 đồng, certificate serials, dates, parcel and sheet numbers) are left alone. Officers read the
-- texts as written (their endpoints and the layer's officer-only column).
CREATE FUNCTION fieldreports.public_text(t text, reporter_name text, reporter_phone text, reporter_email text)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(t,
           -- the reporter's own contacts, as typed ('***=': the rest is a literal string); a name of fewer than four
           -- letters would hide ordinary words
           CASE WHEN length(btrim(reporter_name)) >= 4 THEN '***=' || btrim(reporter_name) ELSE '***=' || chr(1) END, '[đã ẩn]', 'gi'),
           CASE WHEN length(btrim(reporter_phone)) >= 6 THEN '***=' || btrim(reporter_phone) ELSE '***=' || chr(1) END, '[đã ẩn]', 'g'),
           CASE WHEN length(btrim(reporter_email)) >= 3 THEN '***=' || btrim(reporter_email) ELSE '***=' || chr(1) END, '[đã ẩn]', 'gi'),
           '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}', '[đã ẩn]', 'g'),
           '((CMND|CCCD|CMT|căn cước|định danh)[^0-9]{0,24})[0-9]{9,12}(?![0-9])', '\1[đã ẩn]', 'gi'),
           '(?<![0-9])(?<![0-9][.,])(\+84|84|\(?0)([ .()-]{0,2}[0-9]){8,11}(?![0-9])', '[đã ẩn]', 'g')
$$;

ALTER TABLE fieldreports.report
    ADD COLUMN public_description text GENERATED ALWAYS AS
        (fieldreports.public_text(description, reporter_name, reporter_phone, reporter_email)) STORED,
    ADD COLUMN public_status_notes text GENERATED ALWAYS AS
        (fieldreports.public_text(status_notes, reporter_name, reporter_phone, reporter_email)) STORED,
    ADD COLUMN public_address text GENERATED ALWAYS AS
        (fieldreports.public_text(address, reporter_name, reporter_phone, reporter_email)) STORED;

-- The layer: the same columns, the public texts under their old names; the texts as written at the end, for the
-- catalog to show land officers only.
CREATE OR REPLACE VIEW ows.field_reports AS
SELECT r.id, r.service_code AS category, r.status, r.public_description AS description, r.commune_code, r.reported_at, r.updated_at,
       r.reporter_name, r.reporter_phone, r.geom,
       s.name_vi AS category_name, CASE WHEN r.status = 'closed' THEN 'closed' ELSE 'open' END AS public_status,
       r.public_status_notes AS status_notes, r.agency, c.name AS commune_name,
       r.description AS description_as_written, r.status_notes AS status_notes_as_written
  FROM fieldreports.report r
  LEFT JOIN fieldreports.service s ON s.code = r.service_code
  LEFT JOIN cadastre.admin_unit c ON c.code = r.commune_code
 WHERE r.published;
