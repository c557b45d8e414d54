package vn.landgis.imports;

import java.util.Locale;

import vn.landgis.geo.VietnameseEncoding;

/**
 * The text encoding a reader uses, and why, for the report: the manifest's when it names one, else what the text
 * itself reads as, with what the file declares (a .cpg) as a hint that may be missing or lie.
 */
record EncodingChoice(VietnameseEncoding encoding, String note) {

    /**
     * @param forced     the manifest's encoding, or null
     * @param declared   what the file declares, or null when it declares none or none of ours
     * @param declaredAs how the declaration reads, for the note (e.g. {@code the .cpg says UTF-8})
     * @param undeclared what to say when nothing usable is declared (e.g. {@code no .cpg})
     */
    static EncodingChoice choose(VietnameseEncoding.Detection detected, VietnameseEncoding forced, VietnameseEncoding declared,
                                 String declaredAs, String undeclared) {
        String confidence = String.format(Locale.ROOT, "%.2f", detected.confidence());
        if (forced != null) {
            return new EncodingChoice(forced, "as the manifest says" + (detected.encoding() == forced || detected.asciiOnly() ? ""
                    : " (the text itself reads more like " + detected.encoding() + ")"));
        }
        if (detected.asciiOnly()) {
            return new EncodingChoice(declared != null ? declared : VietnameseEncoding.UTF8, "ASCII text only: any encoding reads it the same");
        }
        if (declared != null && (declared == detected.encoding() || detected.confidence() < 0.3)) {
            return new EncodingChoice(declared, declaredAs + " and the text agrees");
        }
        if (declared != null) {
            return new EncodingChoice(detected.encoding(), declaredAs + " but the text reads as " + detected.encoding() + " (confidence "
                    + confidence + "): " + detected.encoding() + " used");
        }
        return new EncodingChoice(detected.encoding(), undeclared + ": the text reads as " + detected.encoding() + " (confidence " + confidence + ")");
    }

    @Override
    public String toString() {
        return encoding + ": " + note;
    }
}
