package vn.landgis.ows;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits and descriptive metadata of the OGC services ({@code landgis.ows}).
 *
 * @param title          service title in the capabilities
 * @param abstractText   service abstract
 * @param maxWidth       largest GetMap width in pixels
 * @param maxHeight      largest GetMap height in pixels
 * @param maxFeatureInfo largest FEATURE_COUNT of a GetFeatureInfo
 * @param contactOrganisation organisation named in the capabilities
 * @param contactEmail   contact e-mail in the capabilities
 */
@ConfigurationProperties("landgis.ows")
public record OwsProperties(String title, String abstractText, Integer maxWidth, Integer maxHeight, Integer maxFeatureInfo,
                            String contactOrganisation, String contactEmail) {
    public OwsProperties {
        title = title == null ? "landgis" : title;
        abstractText = abstractText == null ? "" : abstractText;
        maxWidth = maxWidth == null ? 4096 : maxWidth;
        maxHeight = maxHeight == null ? 4096 : maxHeight;
        maxFeatureInfo = maxFeatureInfo == null ? 50 : maxFeatureInfo;
    }
}
