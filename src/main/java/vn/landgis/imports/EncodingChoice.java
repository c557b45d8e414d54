package vn.landgis.imports;

import java.util.Locale;

import vn.landgis.geo.VietnameseEncoding;

/**
 * The text encoding a reader uses, and why, for the report: the manifest's when it names one, else what the text
 * itself reads as, with what the file declares (a .cpg) as a hint that may be missing or lie.
 */
record EncodingChoice(VietnameseEncoding encoding, String note, String[] doubt) {

    /** Below this share of well-formed words (those with a letter beyond ASCII) the chosen decoding is doubted. */
    static final double WELL_FORMED = 0.9;
    /** Below this margin over the runner-up an encoding the text alone decided is doubted. */
    static final double MARGIN = 0.5;

    EncodingChoice(VietnameseEncoding encoding, String note) {
        this(encoding, note, null);
    }

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
        if (declared != null && declared == detected.encoding()) {
            return new EncodingChoice(declared, declaredAs + " and the text agrees", doubt(detected, declared, false));
        }
        if (declared != null && detected.confidence() < 0.3) {
            return new EncodingChoice(declared, declaredAs + "; the text does not tell otherwise (it reads a little more like "
                    + detected.encoding() + ", confidence " + confidence + ")", doubt(detected, declared, false));
        }
        if (declared != null) {
            return new EncodingChoice(detected.encoding(), declaredAs + " but the text reads as " + detected.encoding() + " (confidence "
                    + confidence + "): " + detected.encoding() + " used", doubt(detected, detected.encoding(), true));
        }
        return new EncodingChoice(detected.encoding(), undeclared + ": the text reads as " + detected.encoding() + " (confidence " + confidence + ")",
                doubt(detected, detected.encoding(), true));
    }

    /**
     * The warning, {Vietnamese, English}, when the chosen decoding leaves words that are no Vietnamese syllable (a
     * file converted to a code page that cannot hold Vietnamese, question marks for letters, an encoding none of
     * ours) or, where the text alone decided, when another encoding reads it almost as well; else null.
     */
    private static String[] doubt(VietnameseEncoding.Detection detected, VietnameseEncoding chosen, boolean decidedByText) {
        double wellFormed = detected.scores().getOrDefault(chosen, 0.0);
        if (wellFormed >= WELL_FORMED && (!decidedByText || detected.confidence() >= MARGIN)) {
            return null;
        }
        String share = String.format(Locale.ROOT, "%.0f", 100 * wellFormed);
        String confidence = String.format(Locale.ROOT, "%.2f", detected.confidence());
        return new String[] {
            "Không chắc bảng mã của văn bản: đã đọc theo " + chosen + " (" + share + "% số từ có dấu đọc thành tiếng Việt hợp lệ, độ tin cậy "
                    + vn.landgis.platform.VietnameseNumbers.format(detected.confidence(), 2) + "); hãy kiểm tra tên và địa chỉ, hoặc ghi bảng mã (encoding) trong manifest",
            "text encoding uncertain: read as " + chosen + " (" + share + "% of the words with diacritics read as valid Vietnamese, confidence "
                    + confidence + "); check the names and addresses, or name the encoding in the manifest"};
    }

    @Override
    public String toString() {
        return encoding + ": " + note;
    }
}
