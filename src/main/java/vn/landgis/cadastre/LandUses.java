package vn.landgis.cadastre;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A parcel's purposes as maps and certificates write them: "ONT+CLN", the main one first (also "ONT, CLN",
 * "ont + cln", "ONT;CLN", "ONT/CLN" as districts type them). One reading for the import, the editor and WFS-T.
 */
public final class LandUses {

    private LandUses() {
    }

    /** The codes written, upper case, in order (repeats kept: the caller decides): "ont + CLN" → [ONT, CLN]. */
    public static List<String> codes(String written) {
        return Arrays.stream(written.strip().split("\\s*[+,;/]\\s*")).map(c -> c.toUpperCase(Locale.ROOT)).toList();
    }

    /** The label of a main code and the others: "ONT+CLN"; the main code alone when there are none. */
    public static String label(String main, List<String> others) {
        return others == null || others.isEmpty() ? main : main + "+" + String.join("+", others);
    }
}
