package vn.landgis.generator;

/** Locale-free, allocation-light number formatting, identical on every machine. */
final class Fmt {
    private Fmt() {
    }

    /** Appends v with exactly {@code decimals} digits after the point (0 to 6). */
    static void fixed(StringBuilder sb, double v, int decimals) {
        long scale = 1;
        for (int i = 0; i < decimals; i++) {
            scale *= 10;
        }
        long n = Math.round(v * scale);
        if (n < 0) {
            sb.append('-');
            n = -n;
        }
        sb.append(n / scale);
        if (decimals > 0) {
            sb.append('.');
            String frac = Long.toString(n % scale);
            for (int i = frac.length(); i < decimals; i++) {
                sb.append('0');
            }
            sb.append(frac);
        }
    }

    static String fixed(double v, int decimals) {
        StringBuilder sb = new StringBuilder();
        fixed(sb, v, decimals);
        return sb.toString();
    }

    static void jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
