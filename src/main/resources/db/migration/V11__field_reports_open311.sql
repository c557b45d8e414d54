-- Citizens' field reports (phản ánh hiện trường) over Open311 GeoReport v2: the service categories, routing to the
-- responsible unit, where each report was placed, its status history, its photo, and the keys that make a
-- retried submission land on the same report.

-- The categories (Open311 "services"): Vietnamese name first, the department that handles them by default and the
-- deadline (hours) the on-time rate is measured against. attributes: the Open311 service definition's attributes.
CREATE TABLE fieldreports.service (
    code           text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,40}$'),
    name_vi        text NOT NULL,
    name_en        text NOT NULL,
    description    text NOT NULL,
    group_name     text NOT NULL,
    keywords       text NOT NULL DEFAULT '',
    department     text NOT NULL,
    deadline_hours integer NOT NULL CHECK (deadline_hours > 0),
    sort_order     integer NOT NULL DEFAULT 0,
    active         boolean NOT NULL DEFAULT true,
    attributes     jsonb NOT NULL DEFAULT '[]'
);

INSERT INTO fieldreports.service (code, name_vi, name_en, description, group_name, keywords, department, deadline_hours, sort_order, attributes) VALUES
('land_encroachment', 'Lấn chiếm đất', 'Encroachment on land',
 'Lấn, chiếm đất công, đất của người khác, hành lang an toàn / encroachment on public or someone else''s land',
 'Đất đai - Xây dựng', 'đất đai,lấn chiếm,land,encroachment', 'Phòng Nông nghiệp và Môi trường', 120, 10,
 '[{"code":"area_m2","datatype":"number","required":false,"description":"Diện tích lấn chiếm ước tính (m²) / estimated area (m²)"},
   {"code":"land_kind","datatype":"singlevaluelist","required":false,"description":"Loại đất bị lấn chiếm / kind of land",
    "values":[{"key":"public","name":"Đất công / public land"},{"key":"road","name":"Hành lang đường bộ / road corridor"},
              {"key":"canal","name":"Hành lang kênh rạch / canal bank"},{"key":"private","name":"Đất của hộ khác / another household''s land"}]}]'),
('illegal_construction', 'Xây dựng trái phép', 'Illegal construction',
 'Xây dựng không phép, sai phép, trên đất nông nghiệp hoặc đất quy hoạch / construction without or against a permit',
 'Đất đai - Xây dựng', 'xây dựng,trái phép,construction,permit', 'Phòng Kinh tế, Hạ tầng và Đô thị', 72, 20,
 '[{"code":"floors","datatype":"number","required":false,"description":"Số tầng đang xây / floors being built"},
   {"code":"started","datatype":"datetime","required":false,"description":"Bắt đầu xây từ / construction started on"}]'),
('flooding', 'Ngập úng', 'Flooding',
 'Ngập nước đường, khu dân cư, cống thoát nước tắc / flooded street or area, blocked drain',
 'Hạ tầng đô thị', 'ngập,úng,thoát nước,flood,drain', 'Ban Quản lý dự án và Hạ tầng', 24, 30,
 '[{"code":"depth_cm","datatype":"number","required":false,"description":"Độ sâu ngập ước tính (cm) / estimated depth (cm)"}]'),
('street_light', 'Đèn đường hư hỏng', 'Broken street light',
 'Đèn chiếu sáng công cộng không sáng, chập chờn, cột đèn nghiêng / street light out, flickering or leaning pole',
 'Hạ tầng đô thị', 'đèn đường,chiếu sáng,street light', 'Ban Quản lý dự án và Hạ tầng', 48, 40,
 '[{"code":"pole_no","datatype":"string","required":false,"description":"Số hiệu cột đèn nếu có / pole number if any"}]'),
('waste', 'Rác thải, vệ sinh môi trường', 'Waste and sanitation',
 'Rác thải tồn đọng, đổ trộm phế thải, ô nhiễm / uncollected waste, dumped debris, pollution',
 'Môi trường', 'rác,môi trường,waste,dumping', 'Phòng Nông nghiệp và Môi trường', 48, 50, '[]'),
('road_damage', 'Hư hỏng đường sá', 'Road damage',
 'Ổ gà, sụt lún, nứt mặt đường, vỉa hè hư hỏng / pothole, subsidence, cracked road or pavement',
 'Hạ tầng đô thị', 'đường,ổ gà,pothole,road', 'Ban Quản lý dự án và Hạ tầng', 72, 60,
 '[{"code":"size","datatype":"singlevaluelist","required":false,"description":"Kích thước hư hỏng / size of the damage",
    "values":[{"key":"small","name":"Nhỏ (< 1 m) / small"},{"key":"medium","name":"Vừa (1-3 m) / medium"},{"key":"large","name":"Lớn (> 3 m) / large"}]}]'),
('other', 'Phản ánh khác', 'Other',
 'Vấn đề khác tại hiện trường / any other problem on the spot', 'Khác', 'khác,other', 'Văn phòng HĐND và UBND', 120, 90, '[]');

-- Who handles a category in a commune (old or new commune code); commune_code NULL is the category's default.
CREATE TABLE fieldreports.routing (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_code text NOT NULL REFERENCES fieldreports.service (code) ON DELETE CASCADE,
    commune_code text,
    unit         text NOT NULL,
    UNIQUE NULLS NOT DISTINCT (service_code, commune_code)
);
INSERT INTO fieldreports.routing (service_code, commune_code, unit)
SELECT code, NULL, department FROM fieldreports.service;

ALTER TABLE fieldreports.report
    ADD CONSTRAINT report_service_fk FOREIGN KEY (service_code) REFERENCES fieldreports.service (code),
    ADD COLUMN token               uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    ADD COLUMN legacy_commune_code text REFERENCES cadastre.admin_unit_legacy (code),
    ADD COLUMN district_code       text REFERENCES cadastre.admin_unit_legacy (code),
    ADD COLUMN parcel_sheet_no     integer,
    ADD COLUMN parcel_no           integer,
    ADD COLUMN location_source     text NOT NULL DEFAULT 'point'
                                   CHECK (location_source IN ('point', 'vn2000', 'exif', 'address_parcel', 'address_commune')),
    ADD COLUMN agency              text,
    ADD COLUMN status_notes        text,
    ADD COLUMN due_at              timestamptz,
    ADD COLUMN closed_at           timestamptz,
    ADD COLUMN attributes          jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN media_url           text,
    ADD COLUMN published           boolean NOT NULL DEFAULT true,
    -- personal data as well: officers only
    ADD COLUMN reporter_device     text,
    ADD COLUMN client_hash         text;
CREATE INDEX report_reported_idx ON fieldreports.report (reported_at);
CREATE INDEX report_commune_idx ON fieldreports.report (commune_code);
CREATE INDEX report_legacy_commune_idx ON fieldreports.report (legacy_commune_code);

-- A photo, EXIF already stripped where public; HEIC is kept for officers but not served publicly.
CREATE TABLE fieldreports.media (
    report_id     bigint PRIMARY KEY REFERENCES fieldreports.report (id) ON DELETE CASCADE,
    content_type  text NOT NULL,
    bytes         bytea NOT NULL,
    public        boolean NOT NULL,
    original_size integer NOT NULL
);

-- Idempotency keys and content fingerprints of submissions: the unique key is what makes 100 concurrent retries
-- one report (INSERT ... ON CONFLICT); an expired key is taken over by the next submission.
CREATE TABLE fieldreports.submission_key (
    key        text PRIMARY KEY,
    report_id  bigint NOT NULL REFERENCES fieldreports.report (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL
);
CREATE INDEX submission_key_report_idx ON fieldreports.submission_key (report_id);

CREATE TABLE fieldreports.status_change (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id   bigint NOT NULL REFERENCES fieldreports.report (id) ON DELETE CASCADE,
    from_status text NOT NULL,
    to_status   text NOT NULL,
    notes       text,
    actor       text NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX status_change_report_idx ON fieldreports.status_change (report_id, changed_at);

-- The published layer: public columns, plus the reporter's name and phone that the catalog shows to land
-- officers only. Unpublished (spam, withdrawn) reports are not on the map.
CREATE OR REPLACE VIEW ows.field_reports AS
SELECT r.id, r.service_code AS category, r.status, r.description, r.commune_code, r.reported_at, r.updated_at,
       r.reporter_name, r.reporter_phone, r.geom,
       s.name_vi AS category_name, CASE WHEN r.status = 'closed' THEN 'closed' ELSE 'open' END AS public_status,
       r.status_notes, r.agency, c.name AS commune_name
  FROM fieldreports.report r
  LEFT JOIN fieldreports.service s ON s.code = r.service_code
  LEFT JOIN cadastre.admin_unit c ON c.code = r.commune_code
 WHERE r.published;
