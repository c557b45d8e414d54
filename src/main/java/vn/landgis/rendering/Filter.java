package vn.landgis.rendering;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The OGC filters of the supported subset. Comparisons are numeric when both sides are numbers (or strings that
 * are plain decimal numbers), else textual; a comparison with a null (or missing) value is false, like SQL.
 */
sealed interface Filter {

    boolean test(Map<String, Object> attributes);

    void collectProperties(Set<String> out);

    enum Op {
        EQ, NE, LT, LE, GT, GE
    }

    record Compare(Op op, Expr left, Expr right, boolean matchCase) implements Filter {
        @Override
        public boolean test(Map<String, Object> attributes) {
            Object l = left.evaluate(attributes);
            if (l == null) {
                return false;
            }
            Object r = right.evaluate(attributes);
            if (r == null) {
                return false;
            }
            int c;
            double ln = Values.number(l);
            double rn = right instanceof Expr.Literal lit ? lit.number() : Values.number(r);
            if (!Double.isNaN(ln) && !Double.isNaN(rn)) {
                c = Double.compare(ln, rn);
            } else {
                String ls = Values.text(l);
                String rs = Values.text(r);
                if (op == Op.EQ || op == Op.NE) {
                    boolean eq = matchCase ? ls.equals(rs) : ls.equalsIgnoreCase(rs);
                    return op == Op.EQ ? eq : !eq;
                }
                c = matchCase ? ls.compareTo(rs) : ls.compareToIgnoreCase(rs);
            }
            return switch (op) {
                case EQ -> c == 0;
                case NE -> c != 0;
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
            };
        }

        @Override
        public void collectProperties(Set<String> out) {
            left.collectProperties(out);
            right.collectProperties(out);
        }
    }

    record Like(Expr expr, Pattern pattern) implements Filter {
        @Override
        public boolean test(Map<String, Object> attributes) {
            Object v = expr.evaluate(attributes);
            return v != null && pattern.matcher(Values.text(v)).matches();
        }

        @Override
        public void collectProperties(Set<String> out) {
            expr.collectProperties(out);
        }
    }

    record IsNull(Expr expr) implements Filter {
        @Override
        public boolean test(Map<String, Object> attributes) {
            return expr.evaluate(attributes) == null;
        }

        @Override
        public void collectProperties(Set<String> out) {
            expr.collectProperties(out);
        }
    }

    /** Inclusive at both ends: {@code expr >= lower and expr <= upper}. */
    record Between(Compare atLeastLower, Compare atMostUpper) implements Filter {
        static Between of(Expr expr, Expr lower, Expr upper) {
            return new Between(new Compare(Op.GE, expr, lower, true), new Compare(Op.LE, expr, upper, true));
        }

        @Override
        public boolean test(Map<String, Object> attributes) {
            return atLeastLower.test(attributes) && atMostUpper.test(attributes);
        }

        @Override
        public void collectProperties(Set<String> out) {
            atLeastLower.collectProperties(out);
            atMostUpper.collectProperties(out);
        }
    }

    record And(List<Filter> operands) implements Filter {
        public And {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean test(Map<String, Object> attributes) {
            for (Filter f : operands) {
                if (!f.test(attributes)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void collectProperties(Set<String> out) {
            operands.forEach(f -> f.collectProperties(out));
        }
    }

    record Or(List<Filter> operands) implements Filter {
        public Or {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean test(Map<String, Object> attributes) {
            for (Filter f : operands) {
                if (f.test(attributes)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void collectProperties(Set<String> out) {
            operands.forEach(f -> f.collectProperties(out));
        }
    }

    record Not(Filter operand) implements Filter {
        @Override
        public boolean test(Map<String, Object> attributes) {
            return !operand.test(attributes);
        }

        @Override
        public void collectProperties(Set<String> out) {
            operand.collectProperties(out);
        }
    }

    /** The Like pattern as a regular expression matched against the whole text. */
    static Pattern likePattern(String like, String wildCard, String singleChar, String escape, boolean matchCase) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < like.length()) {
            if (!escape.isEmpty() && like.startsWith(escape, i) && i + escape.length() < like.length()) {
                int next = i + escape.length();
                int cp = like.codePointAt(next);
                re.append(Pattern.quote(new String(Character.toChars(cp))));
                i = next + Character.charCount(cp);
            } else if (!wildCard.isEmpty() && like.startsWith(wildCard, i)) {
                re.append(".*");
                i += wildCard.length();
            } else if (!singleChar.isEmpty() && like.startsWith(singleChar, i)) {
                re.append('.');
                i += singleChar.length();
            } else {
                int cp = like.codePointAt(i);
                re.append(Pattern.quote(new String(Character.toChars(cp))));
                i += Character.charCount(cp);
            }
        }
        int flags = Pattern.DOTALL | (matchCase ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return Pattern.compile(re.toString(), flags);
    }
}
