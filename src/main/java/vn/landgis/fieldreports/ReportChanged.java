package vn.landgis.fieldreports;

/**
 * A field report was submitted or its status changed (after commit): map caches of the {@code field_reports}
 * layer forget what lies under {@code lon}/{@code lat} (WGS 84).
 *
 * @param reportId the report
 * @param what     what happened
 * @param lon      longitude of the report
 * @param lat      latitude of the report
 */
public record ReportChanged(long reportId, What what, double lon, double lat) {

    /** What happened to the report. */
    public enum What { SUBMITTED, STATUS }

    /** The catalog layer that shows reports. */
    public static final String LAYER = "field_reports";
}
