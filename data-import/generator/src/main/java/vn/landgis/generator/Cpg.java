package vn.landgis.generator;

import java.util.Locale;

/** What the written .cpg says about the .dbf's encoding: the truth, nothing, or a lie (as deliveries do). */
public enum Cpg {
    TRUTH, NONE, LIE;

    public static Cpg parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
