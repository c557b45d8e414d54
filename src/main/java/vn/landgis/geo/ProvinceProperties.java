package vn.landgis.geo;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The province this deployment serves ({@code landgis.province.*}): its post-2025 code and name, the
 * VN-2000 / TM-3 system every geometry is stored in, and its extent in WGS 84 (west, south, east, north),
 * used to refuse coordinates that cannot be in the province before any query runs.
 */
@ConfigurationProperties("landgis.province")
public record ProvinceProperties(String code, String name, int storageSrid, List<Double> extentWgs84) {

    public ProvinceProperties {
        if (extentWgs84 == null || extentWgs84.size() != 4) {
            throw new IllegalArgumentException("landgis.province.extent-wgs84 needs west, south, east, north");
        }
    }

    public boolean contains(double lon, double lat) {
        return lon >= extentWgs84.get(0) && lat >= extentWgs84.get(1) && lon <= extentWgs84.get(2) && lat <= extentWgs84.get(3);
    }
}
