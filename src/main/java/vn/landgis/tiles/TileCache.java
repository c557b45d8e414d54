package vn.landgis.tiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import org.locationtech.jts.geom.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tiles kept in memory (least recently used out, bounded in bytes) and optionally on disk (one file per tile
 * under {@code dir/layer/style/visibility/z/x/y.ext}). Entries are evicted by extent when the data under them
 * changes; a tile rendered while an eviction happened is served but not kept, so stale data never sticks.
 * Thread-safe.
 */
public final class TileCache {

    private static final Logger log = LoggerFactory.getLogger(TileCache.class);

    /**
     * What a tile is: layer, style ("-" for vector tiles), visibility (which attributes the viewer sees, plus
     * asOf), format extension, z/x/y.
     */
    public record Key(String layer, String style, String visibility, String format, int z, long x, long y) {
        String path() {
            return layer + "/" + style + "/" + visibility + "/" + z + "/" + x + "/" + y + "." + format;
        }
    }

    /** A tile's bytes and its entity tag. */
    public record Tile(byte[] bytes, String etag) {
        public static Tile of(byte[] bytes) {
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            return new Tile(bytes, "\"" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(bytes.length) + "\"");
        }
    }

    private final long maxBytes;
    private final Path dir;
    private final LinkedHashMap<Key, Tile> memory = new LinkedHashMap<>(1024, 0.75f, true);
    private long bytes;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    /**
     * The disk cache's directory for this generation of the data's schema, {@code base/<generation>}: tiles drawn from
     * an older schema (a migration that changed what a layer shows, such as V20 hiding contacts in report texts) are
     * never served again. The older generations' directories ({@code schema-*}) and the layout before generations
     * ({@code base/<layer>} for the catalog's layers) are deleted; nothing else in {@code base} is touched.
     */
    static Path generationDir(Path base, String generation, java.util.Set<String> layers) {
        try {
            Files.createDirectories(base);
            for (Path child : children(base, 0)) {
                String name = child.getFileName().toString();
                if (!name.equals(generation) && (name.startsWith("schema-") || layers.contains(name)) && Files.isDirectory(child)) {
                    try (var walk = Files.walk(child)) {
                        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                        log.info("tile cache: removed {} (drawn from another schema)", child);
                    } catch (IOException | UncheckedIOException e) {
                        // never served again (not this generation's folder); only the disk space stays taken
                        log.warn("tile cache: could not remove {} (drawn from another schema): {}", child, e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("tile cache directory " + base, e);
        }
        return base.resolve(generation);
    }

    /** @param maxBytes memory bound; @param dir disk cache directory, or null for memory only */
    public TileCache(long maxBytes, Path dir) {
        this.maxBytes = maxBytes;
        this.dir = dir;
        if (dir != null) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("tile cache directory " + dir, e);
            }
        }
    }

    /** The eviction generation: read before rendering, hand to {@link #put} after. */
    public long generation() {
        return generation.get();
    }

    public Optional<Tile> get(Key key) {
        synchronized (memory) {
            Tile t = memory.get(key);
            if (t != null) {
                hits.incrementAndGet();
                return Optional.of(t);
            }
        }
        if (dir != null) {
            Path p = dir.resolve(key.path());
            try {
                Tile t = Tile.of(Files.readAllBytes(p));
                remember(key, t);
                hits.incrementAndGet();
                return Optional.of(t);
            } catch (NoSuchFileException e) {
                // not cached
            } catch (IOException e) {
                log.warn("tile cache: cannot read {}: {}", p, e.getMessage());
            }
        }
        misses.incrementAndGet();
        return Optional.empty();
    }

    /** Keeps a tile rendered from data read at {@code generation}; dropped when an eviction came in between. */
    public void put(Key key, Tile tile, long generationAtRead) {
        if (generation.get() != generationAtRead) {
            return;
        }
        remember(key, tile);
        if (dir != null) {
            Path p = dir.resolve(key.path());
            try {
                Files.createDirectories(p.getParent());
                Path tmp = Files.createTempFile(p.getParent(), ".tile", ".tmp");
                Files.write(tmp, tile.bytes());
                Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                log.warn("tile cache: cannot write {}: {}", p, e.getMessage());
            }
            if (generation.get() != generationAtRead) {
                // an eviction raced with the write: take it back
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    private void remember(Key key, Tile tile) {
        synchronized (memory) {
            Tile old = memory.put(key, tile);
            bytes += tile.bytes().length - (old == null ? 0 : old.bytes().length);
            Iterator<Map.Entry<Key, Tile>> it = memory.entrySet().iterator();
            while (bytes > maxBytes && it.hasNext()) {
                Map.Entry<Key, Tile> e = it.next();
                bytes -= e.getValue().bytes().length;
                it.remove();
            }
        }
    }

    /**
     * Forgets every tile of any layer within an EPSG:3857 extent (already widened by the caller for metatiles and
     * label margins); returns how many entries went.
     */
    public int evict(Envelope mercator) {
        generation.incrementAndGet();
        int n = 0;
        synchronized (memory) {
            Iterator<Map.Entry<Key, Tile>> it = memory.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Key, Tile> e = it.next();
                Key k = e.getKey();
                if (TileGrid.bounds(k.z(), k.x(), k.y()).intersects(mercator)) {
                    bytes -= e.getValue().bytes().length;
                    it.remove();
                    n++;
                }
            }
        }
        if (dir != null) {
            try {
                n += evictOnDisk(mercator);
            } catch (IOException e) {
                log.warn("tile cache: eviction on disk failed: {}", e.getMessage());
            }
        }
        return n;
    }

    private int evictOnDisk(Envelope mercator) throws IOException {
        int n = 0;
        // dir/layer/style/visibility/z/x/y.ext
        for (Path z : children(dir, 3)) {
            int zoom;
            try {
                zoom = Integer.parseInt(z.getFileName().toString());
            } catch (NumberFormatException e) {
                continue;
            }
            if (zoom < 0 || zoom > TileGrid.MAX_ZOOM) {
                continue;
            }
            long[] r = TileGrid.range(zoom, mercator);
            for (Path x : children(z, 0)) {
                long col = parse(x.getFileName().toString());
                if (col < r[0] || col > r[2]) {
                    continue;
                }
                for (Path y : children(x, 0)) {
                    String name = y.getFileName().toString();
                    int dot = name.indexOf('.');
                    long row = parse(dot < 0 ? name : name.substring(0, dot));
                    if (row >= r[1] && row <= r[3] && Files.deleteIfExists(y)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** Directories {@code depth} levels below {@code root}'s children (0: the children themselves). */
    private static List<Path> children(Path root, int depth) throws IOException {
        List<Path> level = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return level;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root)) {
            s.forEach(level::add);
        }
        for (int d = 0; d < depth; d++) {
            List<Path> next = new ArrayList<>();
            for (Path p : level) {
                if (Files.isDirectory(p)) {
                    try (DirectoryStream<Path> s = Files.newDirectoryStream(p)) {
                        s.forEach(next::add);
                    }
                }
            }
            level = next;
        }
        return level;
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }

    /** Entries in memory. */
    public int size() {
        synchronized (memory) {
            return memory.size();
        }
    }
}
