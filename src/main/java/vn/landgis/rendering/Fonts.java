package vn.landgis.rendering;

import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Font lookup: the first available family of a font-family list, else DejaVu Sans, else the logical SansSerif. */
final class Fonts {

    static final String DEFAULT_FAMILY = "DejaVu Sans";

    private Fonts() {
    }

    private static final class Holder {
        /** lower-case family name -> family name as the system spells it */
        static final Map<String, String> FAMILIES = load();

        private static Map<String, String> load() {
            Map<String, String> m = new HashMap<>();
            try {
                for (String f : GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames(Locale.ROOT)) {
                    m.put(f.toLowerCase(Locale.ROOT), f);
                }
            } catch (RuntimeException | Error e) {
                // no font configuration: the logical fonts remain
            }
            return Map.copyOf(m);
        }
    }

    /** The family actually used for this list of wanted families. */
    static String family(List<String> wanted) {
        for (String w : wanted) {
            String f = Holder.FAMILIES.get(w.trim().toLowerCase(Locale.ROOT));
            if (f != null) {
                return f;
            }
        }
        String dejavu = Holder.FAMILIES.get(DEFAULT_FAMILY.toLowerCase(Locale.ROOT));
        return dejavu != null ? dejavu : Font.SANS_SERIF;
    }

    static Font font(List<String> wanted, boolean bold, boolean italic, double sizePx) {
        int style = (bold ? Font.BOLD : 0) | (italic ? Font.ITALIC : 0);
        return new Font(family(wanted), style, 1).deriveFont((float) sizePx);
    }
}
