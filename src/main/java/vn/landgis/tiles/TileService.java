package vn.landgis.tiles;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.locationtech.jts.geom.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

import vn.landgis.cadastre.RegisterChanged;
import vn.landgis.planning.PlansChanged;
import vn.landgis.features.Layer;
import vn.landgis.fieldreports.ReportStatusChanged;
import vn.landgis.fieldreports.ReportSubmitted;
import vn.landgis.features.LayerCatalog;
import vn.landgis.features.Viewer;
import vn.landgis.geo.SupportedCrs;
import vn.landgis.rendering.ImageEncoder;
import vn.landgis.rendering.ImageFormat;
import vn.landgis.rendering.MapCanvas;
import vn.landgis.rendering.MapComposer;
import vn.landgis.rendering.Style;

/**
 * Vector and PNG tiles of catalog layers through the {@link TileCache}. PNG tiles are drawn as metatiles (n × n
 * tiles in one image, then cut), so labels are placed once for the whole block and never cut at a tile edge
 * inside it (the renderer drops labels that would cross the block's edge); concurrent requests for tiles of
 * one metatile wait for one drawing. Thread-safe.
 */
@Service
public class TileService {

    private static final Logger log = LoggerFactory.getLogger(TileService.class);

    private final MvtSource mvt;
    private final MapComposer composer;
    private final LayerCatalog catalog;
    private final TileProperties properties;
    private final TileCache cache;
    private final Map<TileCache.Key, CompletableFuture<Map<TileCache.Key, TileCache.Tile>>> drawing = new ConcurrentHashMap<>();

    TileService(MvtSource mvt, MapComposer composer, LayerCatalog catalog, TileProperties properties) {
        this.mvt = mvt;
        this.composer = composer;
        this.catalog = catalog;
        this.properties = properties;
        this.cache = new TileCache(properties.memoryMb() * 1024L * 1024L,
                properties.cacheDir() == null || properties.cacheDir().isBlank() ? null
                        : TileCache.generationDir(Path.of(properties.cacheDir()), schemaGeneration(),
                                catalog.layers().stream().map(vn.landgis.features.Layer::name).collect(java.util.stream.Collectors.toSet())));
    }

    /** {@code schema-v<N>}, N the newest migration the application carries (its data's schema once it has started). */
    static String schemaGeneration() {
        int newest = 0;
        java.util.regex.Pattern migration = java.util.regex.Pattern.compile("V([0-9]+)__.*");
        try {
            for (var r : new org.springframework.core.io.support.PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/V*__*")) {
                java.util.regex.Matcher m = migration.matcher(String.valueOf(r.getFilename()));
                if (m.matches()) {
                    newest = Math.max(newest, Integer.parseInt(m.group(1)));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return "schema-v" + newest;
    }

    public TileCache cache() {
        return cache;
    }

    /** What decides the content beyond layer, style and tile: the attributes the viewer sees, and asOf. */
    static String visibility(Layer layer, Viewer viewer, OffsetDateTime asOf) {
        List<Layer.Attribute> visible = layer.attributesFor(viewer);
        String v = visible.size() == layer.attributes().size() ? "all" : "v" + Integer.toHexString(
                String.join(",", visible.stream().map(Layer.Attribute::name).toList()).hashCode());
        return asOf == null ? v : v + "@" + asOf.toInstant().toEpochMilli();
    }

    /** True when the tile holds only what everyone may see (may go to shared caches). */
    public static boolean isPublic(Layer layer, Viewer viewer) {
        return layer.definition().roles().isEmpty() && layer.attributesFor(viewer).equals(layer.attributesFor(Viewer.CITIZEN));
    }

    public TileCache.Tile mvt(Layer layer, Viewer viewer, int z, long x, long y, OffsetDateTime asOf) {
        TileCache.Key key = new TileCache.Key(layer.name(), "-", visibility(layer, viewer, asOf), "mvt", z, x, y);
        if (properties.cacheEnabled()) {
            var hit = cache.get(key);
            if (hit.isPresent()) {
                return hit.get();
            }
        }
        long generation = cache.generation();
        TileCache.Tile tile;
        if (!layer.visibleAt(TileGrid.scaleDenominator(z))) {
            // the catalog's scale range holds for vector tiles too (clients overzoom the last zoom with content)
            tile = TileCache.Tile.of(new byte[0]);
        } else {
            tile = TileCache.Tile.of(mvt.tile(layer, layer.attributesFor(viewer), z, x, y, asOf));
        }
        if (properties.cacheEnabled()) {
            cache.put(key, tile, generation);
        }
        return tile;
    }

    public TileCache.Tile png(Layer layer, Style style, Viewer viewer, int z, long x, long y, OffsetDateTime asOf) {
        String visibility = visibility(layer, viewer, asOf);
        TileCache.Key key = new TileCache.Key(layer.name(), style.name(), visibility, "png", z, x, y);
        if (properties.cacheEnabled()) {
            var hit = cache.get(key);
            if (hit.isPresent()) {
                return hit.get();
            }
        }
        int n = (int) Math.min(properties.metatile(), 1L << z);
        long mx = x / n * n;
        long my = y / n * n;
        TileCache.Key metaKey = new TileCache.Key(layer.name(), style.name(), visibility, "meta", z, mx, my);
        CompletableFuture<Map<TileCache.Key, TileCache.Tile>> mine = new CompletableFuture<>();
        CompletableFuture<Map<TileCache.Key, TileCache.Tile>> running = drawing.putIfAbsent(metaKey, mine);
        if (running != null) {
            return running.join().get(key);
        }
        try {
            Map<TileCache.Key, TileCache.Tile> tiles = drawMetatile(layer, style, viewer, visibility, z, mx, my, n, asOf);
            mine.complete(tiles);
            return tiles.get(key);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            drawing.remove(metaKey);
        }
    }

    private Map<TileCache.Key, TileCache.Tile> drawMetatile(Layer layer, Style style, Viewer viewer, String visibility,
                                                          int z, long mx, long my, int n, OffsetDateTime asOf) {
        long generation = cache.generation();
        Envelope bounds = TileGrid.bounds(z, mx, my);
        bounds.expandToInclude(TileGrid.bounds(z, mx + n - 1, my + n - 1));
        int size = n * TileGrid.TILE_SIZE;
        MapCanvas canvas = new MapCanvas(bounds, size, size, TileGrid.scaleDenominator(z), null);
        BufferedImage image = composer.compose(canvas, 3857, 1.0, List.of(new MapComposer.StyledLayer(layer, style)), viewer, asOf);
        Map<TileCache.Key, TileCache.Tile> tiles = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                BufferedImage sub = image.getSubimage(i * TileGrid.TILE_SIZE, j * TileGrid.TILE_SIZE, TileGrid.TILE_SIZE, TileGrid.TILE_SIZE);
                ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
                try {
                    ImageEncoder.write(sub, ImageFormat.PNG, out);
                } catch (IOException e) {
                    throw new IllegalStateException("encoding tile", e);
                }
                TileCache.Key k = new TileCache.Key(layer.name(), style.name(), visibility, "png", z, mx + i, my + j);
                TileCache.Tile t = TileCache.Tile.of(out.toByteArray());
                tiles.put(k, t);
                if (properties.cacheEnabled()) {
                    cache.put(k, t, generation);
                }
            }
        }
        return tiles;
    }

    /** An import was published: forget tiles under what changed (widened by a metatile for labels). */
    @EventListener
    void on(RegisterChanged event) {
        evict("change " + event.changeId(), event.extent(), event.srid());
    }

    /** Commune boundaries were loaded: the same for the administrative layers' tiles. */
    @EventListener
    void on(vn.landgis.cadastre.AdminBoundariesChanged event) {
        evict("commune boundaries", event.extent(), event.srid());
    }

    /** A plan was imported or edited: the same for the planning layers' tiles. */
    @EventListener
    void on(PlansChanged event) {
        evict("plan " + event.planId(), event.extent(), event.srid());
    }

    private void evict(String what, Envelope e, int srid) {
        catalog.forgetExtents();
        if (e == null) {
            return;
        }
        SupportedCrs crs = SupportedCrs.bySrid(srid).orElseThrow();
        Envelope mercator = new Envelope();
        for (double[] c : new double[][] {{e.getMinX(), e.getMinY()}, {e.getMinX(), e.getMaxY()}, {e.getMaxX(), e.getMinY()}, {e.getMaxX(), e.getMaxY()}}) {
            double[] ll = crs.toWgs84(c[0], c[1]);
            mercator.expandToInclude(Math.toRadians(ll[0]) * 6378137.0, Math.log(Math.tan(Math.PI / 4 + Math.toRadians(ll[1]) / 2)) * 6378137.0);
        }
        // a few metres for the datum shift and the curvature of edges, then evict
        mercator.expandBy(50);
        int n = cache.evict(mercator);
        log.info("{}: {} cached tiles evicted", what, n);
    }

    /** A field report was filed: forget tiles around it. */
    @EventListener
    void on(ReportSubmitted event) {
        evictAround(event.lon(), event.lat());
    }

    /** A field report changed status or visibility: forget tiles around it. */
    @EventListener
    void on(ReportStatusChanged event) {
        evictAround(event.lon(), event.lat());
    }

    /**
     * Forgets tiles around a point: the widening covers a point symbol's radius at street zooms; at small zooms the
     * tile holding the point is evicted, a neighbour a symbol overlaps may stay stale until it expires.
     */
    private void evictAround(double lon, double lat) {
        catalog.forgetExtents();
        double x = Math.toRadians(lon) * 6378137.0;
        double y = Math.log(Math.tan(Math.PI / 4 + Math.toRadians(lat) / 2)) * 6378137.0;
        Envelope around = new Envelope(x, x, y, y);
        around.expandBy(100);
        int n = cache.evict(around);
        log.debug("field report at {}, {}: {} cached tiles evicted", lon, lat, n);
    }
}
