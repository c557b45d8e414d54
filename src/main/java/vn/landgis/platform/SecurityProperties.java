package vn.landgis.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code landgis.security.*}: API keys of machine clients (the IOC), stored as SHA-256 digests of the key,
 * never the key itself; the web origins whose pages may call the published services from the browser
 * ({@code cors-origins}: {@code *} by default, as map servers publish; an empty list turns CORS off).
 */
@ConfigurationProperties("landgis.security")
public record SecurityProperties(List<ApiKey> apiKeys, List<String> corsOrigins) {

    public SecurityProperties {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        corsOrigins = corsOrigins == null ? List.of("*") : corsOrigins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList();
    }

    /**
     * The configured key {@code presented} is, if any: its SHA-256 compared with every configured digest in constant
     * time (the same work whichever matches).
     */
    public Optional<ApiKey> match(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        ApiKey match = null;
        for (ApiKey key : apiKeys) {
            if (MessageDigest.isEqual(digest, HexFormat.of().parseHex(key.sha256().toLowerCase()))) {
                match = key;
            }
        }
        return Optional.ofNullable(match);
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client's key: its name (for the audit trail), the hex SHA-256 of the key, its roles. */
    public record ApiKey(String name, String sha256, List<String> roles) {
    }
}
