package vn.landgis.tiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiles cached on disk by an older schema are never served again: a migration that changes what a layer shows (V20
 * hid contacts typed into reports' texts) would otherwise leave the old tiles, with those contacts, on the disk.
 */
class TileCacheGenerationTest {

    @Test
    void theDiskCacheLivesUnderTheSchemasGenerationAndOlderOnesAreRemovedNothingElse(@TempDir Path base) throws Exception {
        Path legacy = Files.createDirectories(base.resolve("field_reports/-/all/17/1/2.mvt").getParent());
        Files.writeString(legacy.resolve("2.mvt"), "an old tile with 0912 345 678");
        Path older = Files.createDirectories(base.resolve("schema-v19/parcels/-/all/3/4"));
        Files.writeString(older.resolve("5.mvt"), "old");
        Path unrelated = Files.writeString(base.resolve("README.txt"), "the operator's note");
        Path otherFolder = Files.createDirectories(base.resolve("backups"));

        String generation = TileService.schemaGeneration();
        assertThat(generation).matches("schema-v[0-9]+");
        assertThat(Integer.parseInt(generation.substring("schema-v".length()))).isGreaterThanOrEqualTo(20);
        Path dir = TileCache.generationDir(base, generation, Set.of("field_reports", "parcels"));
        assertThat(dir).isEqualTo(base.resolve(generation));
        assertThat(base.resolve("field_reports")).doesNotExist();
        assertThat(base.resolve("schema-v19")).doesNotExist();
        assertThat(unrelated).exists();
        assertThat(otherFolder).exists();

        // the cache writes and reads under it
        TileCache cache = new TileCache(1 << 20, dir);
        TileCache.Key key = new TileCache.Key("parcels", "-", "all", "mvt", 3, 4, 5);
        cache.put(key, TileCache.Tile.of(new byte[] {1, 2, 3}), cache.generation());
        assertThat(new TileCache(1 << 20, dir).get(key)).isPresent();
        // the same generation again keeps its tiles
        assertThat(new TileCache(1 << 20, TileCache.generationDir(base, generation, Set.of("parcels"))).get(key)).isPresent();
    }
}
