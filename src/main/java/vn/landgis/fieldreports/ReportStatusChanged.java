package vn.landgis.fieldreports;

/**
 * A field report moved in the workflow, or was hidden from or shown to the public again (after commit): what the
 * map shows at {@code lon}/{@code lat} (WGS 84) changed.
 *
 * @param reportId the report
 * @param status   its status now (open, acknowledged, in_progress, closed)
 * @param lon      its longitude
 * @param lat      its latitude
 */
public record ReportStatusChanged(long reportId, String status, double lon, double lat) {
}
