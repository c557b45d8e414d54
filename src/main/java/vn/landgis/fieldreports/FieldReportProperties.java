package vn.landgis.fieldreports;

import java.time.Duration;
import java.util.List;

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
 * @param rateLimitRequests  new reports one client (a configured api_key, else its IP address) may file per window
 * @param rateLimitWindow    the rate limit's window
 * @param contact            the discovery document's contact
 * @param trustedProxies     addresses of the reverse proxies in front of the service, whose X-Forwarded-For names
 *                           the client for the rate limit (none by default: the header is anyone's to forge)
 * @param maxDecodedPhotoMb  largest decoded photo (width × height × bytes per pixel, MB) the service decodes
 * @param photoDecoders      photos decoded at once
 * @param photoDecodeWait    how long a photo waits for a decoder before the request gets a 503
 */
@ConfigurationProperties("landgis.fieldreports")
public record FieldReportProperties(Integer maxPhotoMb, Integer maxPhotoMegapixels, Duration duplicateWindow,
                                    Duration idempotencyWindow, Double parcelToleranceM, Integer rateLimitRequests,
                                    Duration rateLimitWindow, String contact, List<String> trustedProxies,
                                    Integer maxDecodedPhotoMb, Integer photoDecoders, Duration photoDecodeWait) {

    public FieldReportProperties {
        maxPhotoMb = maxPhotoMb == null ? 10 : maxPhotoMb;
        maxPhotoMegapixels = maxPhotoMegapixels == null ? 50 : maxPhotoMegapixels;
        duplicateWindow = duplicateWindow == null ? Duration.ofMinutes(30) : duplicateWindow;
        idempotencyWindow = idempotencyWindow == null ? Duration.ofHours(24) : idempotencyWindow;
        parcelToleranceM = parcelToleranceM == null ? 5.0 : parcelToleranceM;
        rateLimitRequests = rateLimitRequests == null ? 20 : rateLimitRequests;
        rateLimitWindow = rateLimitWindow == null ? Duration.ofHours(1) : rateLimitWindow;
        trustedProxies = trustedProxies == null ? List.of() : trustedProxies.stream().map(String::strip).toList();
        maxDecodedPhotoMb = maxDecodedPhotoMb == null ? 100 : maxDecodedPhotoMb;
        photoDecoders = photoDecoders == null ? 2 : photoDecoders;
        photoDecodeWait = photoDecodeWait == null ? Duration.ofSeconds(10) : photoDecodeWait;
        contact = contact == null ? "Trung tâm Giám sát, điều hành đô thị thông minh (IOC), đường dây nóng 1022" : contact;
    }

    long maxPhotoBytes() {
        return maxPhotoMb * 1024L * 1024L;
    }
}
