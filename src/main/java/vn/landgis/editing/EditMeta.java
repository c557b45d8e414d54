package vn.landgis.editing;

import java.text.Normalizer;

/**
 * Who edits and why: the officer, the dossier (hồ sơ biến động, required: undo works per dossier), and optionally
 * the decision that allows the change and a note. Text is stored NFC.
 */
public record EditMeta(String actor, String dossier, String decision, String note) {

    public EditMeta {
        if (actor == null || actor.isBlank()) {
            throw EditRejected.invalid("missing-actor", "Thiếu người thực hiện / no actor");
        }
        dossier = text(dossier, 200);
        if (dossier == null) {
            throw EditRejected.invalid("missing-dossier", "Cần số hồ sơ (dossier) / a dossier number is required");
        }
        decision = text(decision, 200);
        note = text(note, 2000);
    }

    static String text(String s, int max) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String t = Normalizer.normalize(s.strip(), Normalizer.Form.NFC);
        if (t.length() > max) {
            throw EditRejected.invalid("text-too-long", "Văn bản quá dài / text longer than " + max + " characters");
        }
        return t;
    }

    /** The change's reason column: the dossier, and the decision when there is one. */
    String reason() {
        return decision == null ? dossier : dossier + " / " + decision;
    }
}
