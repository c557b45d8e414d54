package vn.landgis.rendering;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One FeatureTypeStyle: a rendering pass over all features. Immutable. When several rules test
 * {@code PropertyIsEqualTo(property, literal)} on the same property (the land-use colour table), those rules are
 * found through a map literal -> rules instead of being tested one after another.
 */
final class FeatureTypeStyle {

    /** Below this many equality rules on one property the plain loop is as fast as the map. */
    private static final int MIN_INDEXED_RULES = 3;

    final List<Rule> rules;
    private final Rule[] ruleArray;
    /** The property the equality index is on, or null without index. */
    private final String indexedProperty;
    private final Map<Object, int[]> index;
    private final boolean[] indexed;

    FeatureTypeStyle(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.ruleArray = this.rules.toArray(new Rule[0]);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Rule r : ruleArray) {
            EqualityKey k = equalityKey(r.filter);
            if (k != null) {
                counts.merge(k.property, 1, Integer::sum);
            }
        }
        String best = null;
        int bestCount = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        this.indexed = new boolean[ruleArray.length];
        if (best != null && bestCount >= MIN_INDEXED_RULES) {
            Map<Object, int[]> map = new HashMap<>();
            for (int i = 0; i < ruleArray.length; i++) {
                EqualityKey k = equalityKey(ruleArray[i].filter);
                if (k != null && k.property.equals(best)) {
                    indexed[i] = true;
                    int idx = i;
                    map.merge(k.key, new int[]{i}, (a, b) -> {
                        int[] c = Arrays.copyOf(a, a.length + 1);
                        c[a.length] = idx;
                        return c;
                    });
                }
            }
            this.indexedProperty = best;
            this.index = Map.copyOf(map);
        } else {
            this.indexedProperty = null;
            this.index = Map.of();
        }
    }

    private record EqualityKey(String property, Object key) {
    }

    private static EqualityKey equalityKey(Filter f) {
        if (f instanceof Filter.Compare c && c.op() == Filter.Op.EQ && c.matchCase()) {
            if (c.left() instanceof Expr.Property p && c.right() instanceof Expr.Literal l) {
                return new EqualityKey(p.name(), key(l.value()));
            }
            if (c.right() instanceof Expr.Property p && c.left() instanceof Expr.Literal l) {
                return new EqualityKey(p.name(), key(l.value()));
            }
        }
        return null;
    }

    /** The index key of a value: its number when it is one (so 5, 5.0 and "5" meet), else its text. */
    private static Object key(Object value) {
        double d = Values.number(value);
        return Double.isNaN(d) ? Values.text(value) : (Object) d;
    }

    boolean isIndexed() {
        return indexedProperty != null;
    }

    /** A matcher for one render at one scale: not thread-safe, cheap to make. */
    Selector selector(double scaleDenominator) {
        return new Selector(scaleDenominator);
    }

    final class Selector {
        private final boolean[] active;
        private final int[] linear;
        private final int[] elses;
        private final int[] buffer;
        private final List<Rule> out = new ArrayList<>();
        final boolean anyActive;

        private Selector(double scale) {
            int n = ruleArray.length;
            active = new boolean[n];
            int[] lin = new int[n];
            int[] els = new int[n];
            int nl = 0;
            int ne = 0;
            boolean any = false;
            for (int i = 0; i < n; i++) {
                Rule r = ruleArray[i];
                active[i] = r.activeAt(scale);
                any |= active[i];
                if (!active[i]) {
                    continue;
                }
                if (r.elseFilter) {
                    els[ne++] = i;
                } else if (!indexed[i]) {
                    lin[nl++] = i;
                }
            }
            linear = Arrays.copyOf(lin, nl);
            elses = Arrays.copyOf(els, ne);
            buffer = new int[n];
            anyActive = any;
        }

        /**
         * The active rules that apply to a feature, in document order. ElseFilter rules apply when no active rule
         * with a filter matched (rules without filter do not count). The returned list is reused by the next call.
         */
        List<Rule> match(Map<String, Object> attributes) {
            int n = 0;
            boolean matched = false;
            if (indexedProperty != null) {
                Object v = attributes.get(indexedProperty);
                if (v != null) {
                    int[] hits = index.get(key(v));
                    if (hits != null) {
                        for (int h : hits) {
                            if (active[h]) {
                                buffer[n++] = h;
                                matched = true;
                            }
                        }
                    }
                }
            }
            for (int i : linear) {
                Filter f = ruleArray[i].filter;
                if (f == null) {
                    buffer[n++] = i;
                } else if (f.test(attributes)) {
                    buffer[n++] = i;
                    matched = true;
                }
            }
            if (!matched) {
                for (int i : elses) {
                    buffer[n++] = i;
                }
            }
            for (int i = 1; i < n; i++) { // insertion sort: n is tiny
                int v = buffer[i];
                int j = i - 1;
                while (j >= 0 && buffer[j] > v) {
                    buffer[j + 1] = buffer[j];
                    j--;
                }
                buffer[j + 1] = v;
            }
            out.clear();
            for (int i = 0; i < n; i++) {
                out.add(ruleArray[buffer[i]]);
            }
            return out;
        }
    }
}
