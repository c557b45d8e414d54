package vn.landgis.fieldreports;

/**
 * A field report was filed (after commit): map caches of the {@code field_reports} layer forget what lies under
 * {@code lon}/{@code lat} (WGS 84).
 *
 * @param reportId the new report
 * @param lon      its longitude
 * @param lat      its latitude
 */
public record ReportSubmitted(long reportId, double lon, double lat) {
}
