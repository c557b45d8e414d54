package vn.landgis.platform;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code landgis.security.*}: API keys of machine clients (the IOC), stored as SHA-256 digests of the key,
 * never the key itself.
 */
@ConfigurationProperties("landgis.security")
public record SecurityProperties(List<ApiKey> apiKeys) {

    public SecurityProperties {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    }

    /** A client's key: its name (for the audit trail), the hex SHA-256 of the key, its roles. */
    public record ApiKey(String name, String sha256, List<String> roles) {
    }
}
