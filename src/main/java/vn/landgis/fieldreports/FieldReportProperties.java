package vn.landgis.fieldreports;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code landgis.fieldreports.*}.
 *
 * @param maxPhotoMb         largest photo accepted (MB)
 * @param maxPhotoMegapixels largest photo decoded (million pixels; a decompression bomb stops here)
 * @param duplicateWindow    a submission with the same content (category, device/email, description, point) within
 *                           this window is the same report
 * @param idempotencyWindow  how long an {@code Idempotency-Key} names its report
 * @param parcelToleranceM   a point within this distance of a parcel is tied to it (GPS on a boundary, in a road gap)
 * @param rateLimitRequests  new reports one client (api_key, else IP address) may file per window
 * @param rateLimitWindow    the rate limit's window
 * @param contact            the discovery document's contact
 */
@ConfigurationProperties("landgis.fieldreports")
public record FieldReportProperties(Integer maxPhotoMb, Integer maxPhotoMegapixels, Duration duplicateWindow,
                                    Duration idempotencyWindow, Double parcelToleranceM, Integer rateLimitRequests,
                                    Duration rateLimitWindow, String contact) {

    public FieldReportProperties {
        maxPhotoMb = maxPhotoMb == null ? 10 : maxPhotoMb;
        maxPhotoMegapixels = maxPhotoMegapixels == null ? 50 : maxPhotoMegapixels;
        duplicateWindow = duplicateWindow == null ? Duration.ofMinutes(30) : duplicateWindow;
        idempotencyWindow = idempotencyWindow == null ? Duration.ofHours(24) : idempotencyWindow;
        parcelToleranceM = parcelToleranceM == null ? 5.0 : parcelToleranceM;
        rateLimitRequests = rateLimitRequests == null ? 20 : rateLimitRequests;
        rateLimitWindow = rateLimitWindow == null ? Duration.ofHours(1) : rateLimitWindow;
        contact = contact == null ? "Trung tâm Giám sát, điều hành đô thị thông minh (IOC), đường dây nóng 1022" : contact;
    }

    long maxPhotoBytes() {
        return maxPhotoMb * 1024L * 1024L;
    }
}
