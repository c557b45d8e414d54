package vn.landgis.rendering;

import java.util.Locale;
import java.util.Optional;

/** The output formats of the renderer. */
public enum ImageFormat {
    /** 32-bit RGBA PNG. */
    PNG("image/png"),
    /** Palette PNG (at most 256 colours, transparency kept through tRNS). */
    PNG8("image/png; mode=8bit"),
    /** JPEG, quality 0.85, transparency flattened onto white. */
    JPEG("image/jpeg");

    private final String mimeType;

    ImageFormat(String mimeType) {
        this.mimeType = mimeType;
    }

    public String mimeType() {
        return mimeType;
    }

    /**
     * The format of a WMS FORMAT value or file extension: {@code image/png}, {@code png}, {@code image/png8},
     * {@code png8}, {@code image/png; mode=8bit} (any spacing and case; {@code mode=24bit}/{@code 32bit} is plain PNG),
     * {@code image/jpeg}, {@code image/jpg}, {@code jpeg}, {@code jpg}.
     */
    public static Optional<ImageFormat> fromMimeType(String s) {
        if (s == null) {
            return Optional.empty();
        }
        String t = s.toLowerCase(Locale.ROOT).replaceAll("\\s+", "").replace("\"", "");
        return switch (t) {
            case "image/png", "png", "image/png;mode=24bit", "image/png;mode=32bit" -> Optional.of(PNG);
            case "image/png8", "png8", "image/png;mode=8bit", "image/png8;mode=8bit" -> Optional.of(PNG8);
            case "image/jpeg", "image/jpg", "jpeg", "jpg" -> Optional.of(JPEG);
            default -> Optional.empty();
        };
    }

    public boolean supportsTransparency() {
        return this != JPEG;
    }
}
