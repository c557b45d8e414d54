package vn.landgis.tiles;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tile serving ({@code landgis.tiles}).
 *
 * @param cacheEnabled  keep tiles (benchmarks of uncached serving turn it off)
 * @param memoryMb      memory bound of the cache
 * @param cacheDir      disk cache directory; blank: memory only
 * @param maxAgeSeconds Cache-Control max-age of public tiles
 * @param metatile      PNG tiles are drawn in metatiles of metatile × metatile tiles
 */
@ConfigurationProperties("landgis.tiles")
public record TileProperties(Boolean cacheEnabled, Integer memoryMb, String cacheDir, Integer maxAgeSeconds, Integer metatile) {
    public TileProperties {
        cacheEnabled = cacheEnabled == null || cacheEnabled;
        memoryMb = memoryMb == null ? 128 : memoryMb;
        maxAgeSeconds = maxAgeSeconds == null ? 300 : maxAgeSeconds;
        metatile = metatile == null ? 4 : metatile;
    }
}
