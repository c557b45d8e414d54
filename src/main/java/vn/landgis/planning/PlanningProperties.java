package vn.landgis.planning;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Planning overlays ({@code landgis.planning}).
 *
 * @param sliverAreaM2   a zone part smaller than this is digitising noise at a zone border, not a real overlap
 * @param sliverWidthM   so is a part whose mean width (2 × area / perimeter) is below this and whose share of the
 *                       parcel is under 5 %
 * @param maxVertices    most vertices a drawn polygon may have
 * @param maxBodyBytes   largest overlay request body
 * @param maxAreaKm2     largest drawn area
 * @param publicUrl      the service's public address for links printed on sheets (QR codes); blank: taken from
 *                       the request
 */
@ConfigurationProperties("landgis.planning")
public record PlanningProperties(Double sliverAreaM2, Double sliverWidthM, Integer maxVertices, Integer maxBodyBytes,
                                 Double maxAreaKm2, String publicUrl) {
    public PlanningProperties {
        sliverAreaM2 = sliverAreaM2 == null ? 0.5 : sliverAreaM2;
        sliverWidthM = sliverWidthM == null ? 0.3 : sliverWidthM;
        maxVertices = maxVertices == null ? 100_000 : maxVertices;
        maxBodyBytes = maxBodyBytes == null ? 8 * 1024 * 1024 : maxBodyBytes;
        maxAreaKm2 = maxAreaKm2 == null ? 100.0 : maxAreaKm2;
        publicUrl = publicUrl == null ? "" : publicUrl.strip();
    }
}
