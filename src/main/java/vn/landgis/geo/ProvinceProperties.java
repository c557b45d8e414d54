package vn.landgis.geo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The province this deployment serves: its post-2025 code and name, and the VN-2000 / TM-3 system every
 * geometry is stored in ({@code landgis.province.*}).
 */
@ConfigurationProperties("landgis.province")
public record ProvinceProperties(String code, String name, int storageSrid) {
}
