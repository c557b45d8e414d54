package vn.landgis.fieldreports;

import java.util.Map;

/**
 * A POST requests as received, before any check. Strings are null when absent.
 *
 * @param lat            Open311 lat (WGS 84)
 * @param lon            Open311 long (WGS 84)
 * @param x              extension: easting in {@code crs} (VN-2000 TM-3 by default)
 * @param y              extension: northing
 * @param accuracy       extension: GPS accuracy in metres
 * @param attributes     {@code attribute[code]} values
 * @param photo          the {@code media} file part's bytes (at most the limit + 1), or null
 * @param photoSize      the part's declared size
 * @param idempotencyKey the {@code Idempotency-Key} header
 * @param client         who sends (api_key, else the IP address): rate limits and fingerprints
 */
record Submission(String serviceCode, String lat, String lon, String x, String y, String crs, String accuracy,
                  String addressString, String description, String email, String deviceId, String firstName,
                  String lastName, String phone, String mediaUrl, Map<String, String> attributes, byte[] photo,
                  long photoSize, String idempotencyKey, String client) {
}
