-- The holder names a district's map carries (TenChu, "Tên chủ sử dụng"): the name the map was drawn with, not a
-- registration. An import records each as a party holding the parcel's new version (one party per parcel: a name
-- is no identity, and two "Nguyễn Văn An" of one commune must not become one person), only where the version
-- holds no right already (a right registered on the version it replaces continues on it). declared_in_batch says
-- which delivery named it; NULL is a right registered by an officer (certificate, editor) or loaded otherwise.
ALTER TABLE cadastre.land_right ADD COLUMN declared_in_batch bigint;
COMMENT ON COLUMN cadastre.land_right.declared_in_batch IS
    'the import batch whose delivered owner column named this holder (unverified: no certificate); NULL: registered';

-- The kind of holder a delivered name says: the People''s Committee or another state body (state management of
-- public land), an organisation (company, cooperative, school, pagoda, church ...), a household ("Hộ ông ...",
-- "Hộ gia đình ..."); else a person. Case is ignored, accents are not ("Hồ Văn Nam" is a person named Hồ, "Hộ ông
-- Nam" a household).
-- One expression (no FROM), so that PostgreSQL inlines it into the query that calls it: called as a function, the
-- first version of this took 2.4 s of CPU per million names.
CREATE FUNCTION cadastre.party_kind(name text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE
    -- most names start with a family name none of the patterns begins with: the patterns are tried only after the
    -- first words they can begin with
    WHEN NOT split_part(lower(btrim(name)), ' ', 1) = ANY ('{ubnd,ủy,uỷ,nhà,ban,quỹ,cơ,sở,phòng,công,quân,bộ,đồn,trạm,cty,tổng,tập,doanh,dntn,hợp,htx,chi,ngân,trường,bệnh,chùa,giáo,thánh,tịnh,tu,hội,họ,văn,hộ}'::text[]) THEN 'person'
    WHEN lower(btrim(name)) ~ '^(ubnd|ủy ban|uỷ ban|nhà nước|ban quản lý dự án|ban qlda|quỹ đất|cơ quan|sở |phòng |công an|quân đội|bộ chỉ huy|đồn |trạm )' THEN 'state'
    WHEN lower(btrim(name)) ~ '^(công ty|cty|tổng công ty|tập đoàn|doanh nghiệp|dntn|hợp tác xã|htx|chi nhánh|ngân hàng|trường|bệnh viện|chùa|nhà thờ|giáo xứ|thánh thất|tịnh xá|tu viện|hội thánh|họ đạo|hội |văn phòng)' THEN 'organisation'
    WHEN lower(btrim(name)) ~ '^(hộ gia đình|hộ ông|hộ bà|hộ )' THEN 'household'
    ELSE 'person' END
$$;

-- The parties and rights a bulk publish makes are audited as the parcels are: by the publish's one batch-level event
-- (which counts them), not row by row (an AFTER trigger queues an event per row even when its function returns at
-- once: 26 s for a million holders).
DROP TRIGGER party_audit ON cadastre.party;
CREATE TRIGGER party_audit AFTER INSERT OR UPDATE OR DELETE ON cadastre.party FOR EACH ROW
    WHEN (coalesce(current_setting('landgis.audit_bulk', true), '') <> 'on') EXECUTE FUNCTION audit.record_row();
DROP TRIGGER land_right_audit ON cadastre.land_right;
CREATE TRIGGER land_right_audit AFTER INSERT OR UPDATE OR DELETE ON cadastre.land_right FOR EACH ROW
    WHEN (coalesce(current_setting('landgis.audit_bulk', true), '') <> 'on') EXECUTE FUNCTION audit.record_row();
