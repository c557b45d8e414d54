/**
 * Citizens' field reports (phản ánh hiện trường) over Open311 GeoReport v2 ({@code /open311/v2/}): service
 * categories with their responsible units, submission with geolocation (province check, district, commune, parcel,
 * planning zone), idempotent retries, photo checks, rate limits; the officers' status workflow and the IOC's
 * statistics under {@code /api}. Reporters' contact data never leaves through a public endpoint. Publishes
 * {@link vn.landgis.fieldreports.ReportSubmitted} and {@link vn.landgis.fieldreports.ReportStatusChanged} so map caches can forget what lies under a report.
 */
package vn.landgis.fieldreports;
