-- Officers' edits (vn.landgis.editing): a parcel drawn anew (WFS-T Insert), a parcel retired (WFS-T Delete) and a
-- WFS-T Transaction that mixes several actions are register changes of their own kinds.
ALTER TABLE cadastre.change DROP CONSTRAINT change_kind_check;
ALTER TABLE cadastre.change ADD CONSTRAINT change_kind_check
    CHECK (kind IN ('import', 'split', 'merge', 'boundary', 'attributes', 'undo', 'demo', 'create', 'retire', 'transaction'));

-- Every edit names its dossier (hồ sơ biến động); undo looks up the last change of a dossier.
CREATE INDEX change_dossier_idx ON cadastre.change ((details ->> 'dossier'), id);
-- Undo and conflict answers follow lineage from parent to child.
CREATE INDEX parcel_lineage_change_idx ON cadastre.parcel_lineage (change_id);
