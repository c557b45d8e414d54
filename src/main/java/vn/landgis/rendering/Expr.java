package vn.landgis.rendering;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The expressions of the supported SLD subset: a property, a literal, and (in labels) their concatenation. */
sealed interface Expr {

    Object evaluate(Map<String, Object> attributes);

    void collectProperties(Set<String> out);

    record Property(String name) implements Expr {
        @Override
        public Object evaluate(Map<String, Object> attributes) {
            return attributes.get(name);
        }

        @Override
        public void collectProperties(Set<String> out) {
            out.add(name);
        }
    }

    /** A literal; {@code number} is its numeric value or NaN when the text is not a plain number. */
    record Literal(String value, double number) implements Expr {
        Literal(String value) {
            this(value, Values.parseNumber(value));
        }

        @Override
        public Object evaluate(Map<String, Object> attributes) {
            return value;
        }

        @Override
        public void collectProperties(Set<String> out) {
        }
    }

    /** Label text mixing literal text and properties; {@code null} when every property in it is null. */
    record Concat(List<Expr> parts) implements Expr {
        public Concat {
            parts = List.copyOf(parts);
        }

        @Override
        public Object evaluate(Map<String, Object> attributes) {
            StringBuilder sb = new StringBuilder();
            boolean anyValue = false;
            boolean anyProperty = false;
            for (Expr p : parts) {
                Object v = p.evaluate(attributes);
                if (p instanceof Property) {
                    anyProperty = true;
                    if (v != null) {
                        anyValue = true;
                    }
                }
                if (v != null) {
                    sb.append(Values.text(v));
                }
            }
            return anyProperty && !anyValue ? null : sb.toString();
        }

        @Override
        public void collectProperties(Set<String> out) {
            for (Expr p : parts) {
                p.collectProperties(out);
            }
        }
    }
}
