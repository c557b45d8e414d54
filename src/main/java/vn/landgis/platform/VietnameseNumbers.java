package vn.landgis.platform;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Numbers in Vietnamese texts as Vietnamese write them, and as the web pages show them: a decimal comma and dots
 * between thousands ("1.234,56 m²"; "1.234" is one thousand two hundred and thirty-four). The English halves of the
 * messages keep the decimal point. SQL writes them with {@code cadastre.vi_number(numeric)} (V25).
 */
public final class VietnameseNumbers {

    private static final Locale VI = Locale.of("vi", "VN");

    private VietnameseNumbers() {
    }

    /** {@code value} with {@code decimals} decimals: {@code format(1234.5, 2)} is "1.234,50". */
    public static String format(double value, int decimals) {
        return String.format(VI, "%,." + decimals + "f", value);
    }

    /** {@code value} with its own scale: 245.6 is "245,6", 1234 is "1.234". */
    public static String format(BigDecimal value) {
        return String.format(VI, "%,." + Math.max(0, value.scale()) + "f", value);
    }
}
