package vn.landgis.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code landgis.web.*}: the web map's settings. The online base map is off by default (the offline base is our
 * own administrative layers); {@code base-map-url} is an XYZ template such as
 * {@code https://tile.openstreetmap.org/{z}/{x}/{y}.png} with its {@code base-map-attribution}.
 */
@ConfigurationProperties("landgis.web")
record WebProperties(String baseMapUrl, String baseMapAttribution) {

    WebProperties {
        baseMapUrl = baseMapUrl == null || baseMapUrl.isBlank() ? null : baseMapUrl.strip();
        baseMapAttribution = baseMapAttribution == null ? "" : baseMapAttribution.strip();
        if (baseMapUrl != null && !baseMapUrl.matches("https?://[^\\s\"'<>]+")) {
            throw new IllegalArgumentException("landgis.web.base-map-url must be an http(s) URL template, got " + baseMapUrl);
        }
        if (baseMapAttribution.contains("<") || baseMapAttribution.contains(">")) {
            // OpenLayers renders attributions as HTML: plain text only
            throw new IllegalArgumentException("landgis.web.base-map-attribution must be plain text (no < or >)");
        }
    }
}
