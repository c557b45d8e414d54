package vn.landgis.rendering;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A style parsed from one SLD NamedLayer/UserStyle by {@link SldParser}: its FeatureTypeStyles (rendering
 * passes) and their rules. Immutable and thread-safe: one instance serves any number of concurrent renders.
 */
public final class Style {

    private final String name;
    private final String title;
    private final String abstractText;
    private final List<FeatureTypeStyle> featureTypeStyles;
    private final List<Rule> rules;

    Style(String name, String title, String abstractText, List<FeatureTypeStyle> featureTypeStyles) {
        this.name = name;
        this.title = title;
        this.abstractText = abstractText;
        this.featureTypeStyles = List.copyOf(featureTypeStyles);
        List<Rule> all = new ArrayList<>();
        featureTypeStyles.forEach(f -> all.addAll(f.rules));
        this.rules = List.copyOf(all);
    }

    /** The UserStyle Name, or the file name without {@code .sld} when the style has none. */
    public String name() {
        return name;
    }

    /** The UserStyle Title, or the name when it has none. */
    public String title() {
        return title;
    }

    /** The UserStyle Abstract; {@code ""} when it has none. */
    public String abstractText() {
        return abstractText;
    }

    /** Whether any rule is active at this scale (NaN: whether the style has any rule). */
    public boolean isVisibleAt(double scaleDenominator) {
        for (Rule r : rules) {
            if (r.activeAt(scaleDenominator)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The attribute names that the filters and labels of the rules active at this scale read (NaN: all rules), sorted:
     * what a data source has to fetch besides the geometry.
     */
    public Set<String> propertiesUsed(double scaleDenominator) {
        Set<String> out = new TreeSet<>();
        for (Rule r : rules) {
            if (!r.activeAt(scaleDenominator)) {
                continue;
            }
            if (r.filter != null) {
                r.filter.collectProperties(out);
            }
            for (Symbolizer s : r.symbolizers) {
                if (s instanceof Symbolizer.Text t) {
                    t.label().collectProperties(out);
                }
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** Whether a rule active at this scale has a TextSymbolizer. */
    public boolean hasLabelsAt(double scaleDenominator) {
        for (Rule r : rules) {
            if (r.hasText && r.activeAt(scaleDenominator)) {
                return true;
            }
        }
        return false;
    }

    /** One item per rule active at this scale, in document order; NaN gives every rule. */
    public List<LegendItem> legendItems(double scaleDenominator) {
        List<LegendItem> items = new ArrayList<>();
        for (Rule r : rules) {
            if (r.activeAt(scaleDenominator)) {
                items.add(new LegendItem(r.name, r.title));
            }
        }
        return List.copyOf(items);
    }

    List<FeatureTypeStyle> featureTypeStyles() {
        return featureTypeStyles;
    }

    List<Rule> rules() {
        return rules;
    }

    Rule rule(String ruleName) {
        for (Rule r : rules) {
            if (r.name.equals(ruleName)) {
                return r;
            }
        }
        return null;
    }

    /** How far (pixels) any active symbolizer draws beyond its geometry: the margin for culling features. */
    double reachPx(double scaleDenominator) {
        double reach = 1;
        for (Rule r : rules) {
            if (r.activeAt(scaleDenominator)) {
                for (Symbolizer s : r.symbolizers) {
                    reach = Math.max(reach, s.reachPx(scaleDenominator));
                }
            }
        }
        return reach;
    }

    @Override
    public String toString() {
        return "Style[" + name + ", " + rules.size() + " rules]";
    }
}
