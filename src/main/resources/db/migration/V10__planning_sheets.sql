-- Planning-information sheets (phiếu thông tin quy hoạch) as issued: each printed sheet carries a verification
-- code (and a QR code of its URL) under which the answer it printed can be read back, so a printout can be
-- checked against what landgis said on that day and whether it still says the same.
CREATE TABLE planning.sheet_issue (
    code            text PRIMARY KEY CHECK (code ~ '^[A-Z0-9]{12}$'),
    parcel_id       bigint NOT NULL,
    parcel_version  bigint NOT NULL REFERENCES cadastre.parcel (id),
    issued_at       timestamptz NOT NULL DEFAULT now(),
    format          text NOT NULL CHECK (format IN ('pdf', 'xlsx')),
    answer          jsonb NOT NULL,
    answer_sha256   text NOT NULL
);
CREATE INDEX sheet_issue_parcel_idx ON planning.sheet_issue (parcel_id, issued_at);
