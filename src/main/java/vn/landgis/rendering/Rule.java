package vn.landgis.rendering;

import java.util.List;

/** One SLD rule: immutable. */
final class Rule {

    final int index;
    final String name;
    final String title;
    final double minScale;
    final double maxScale;
    /** Null for a rule without filter (and for an ElseFilter rule). */
    final Filter filter;
    final boolean elseFilter;
    final List<Symbolizer> symbolizers;
    final boolean hasText;

    Rule(int index, String name, String title, double minScale, double maxScale, Filter filter, boolean elseFilter,
         List<Symbolizer> symbolizers) {
        this.index = index;
        this.name = name;
        this.title = title;
        this.minScale = minScale;
        this.maxScale = maxScale;
        this.filter = filter;
        this.elseFilter = elseFilter;
        this.symbolizers = List.copyOf(symbolizers);
        this.hasText = this.symbolizers.stream().anyMatch(s -> s instanceof Symbolizer.Text);
    }

    /** MinScaleDenominator inclusive, MaxScaleDenominator exclusive; NaN means "any scale". */
    boolean activeAt(double scaleDenominator) {
        return Double.isNaN(scaleDenominator) || (scaleDenominator >= minScale && scaleDenominator < maxScale);
    }

    @Override
    public String toString() {
        return "Rule[" + name + "]";
    }
}
