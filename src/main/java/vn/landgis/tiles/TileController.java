package vn.landgis.tiles;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.locationtech.jts.geom.Envelope;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import vn.landgis.cadastre.ParcelLookup;
import vn.landgis.features.Layer;
import vn.landgis.features.LayerCatalog;
import vn.landgis.features.Viewer;
import vn.landgis.platform.ApiProblem;
import vn.landgis.rendering.Style;
import vn.landgis.rendering.StyleLibrary;

/**
 * {@code /tiles/{layer}/{z}/{x}/{y}.mvt|.png} and TileJSON {@code /tiles/{layer}.json}. Answers carry an ETag
 * (If-None-Match gives 304) and Cache-Control: public for tiles anyone may see, private otherwise.
 */
@RestController
class TileController {

    static final MediaType MVT = MediaType.parseMediaType("application/vnd.mapbox-vector-tile");

    private final TileService tiles;
    private final LayerCatalog catalog;
    private final StyleLibrary styles;
    private final TileProperties properties;

    TileController(TileService tiles, LayerCatalog catalog, StyleLibrary styles, TileProperties properties) {
        this.tiles = tiles;
        this.catalog = catalog;
        this.styles = styles;
        this.properties = properties;
    }

    private static Viewer viewer() {
        return Viewer.of(SecurityContextHolder.getContext().getAuthentication());
    }

    private Layer layer(String name, Viewer viewer) {
        return catalog.layer(name, viewer).orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "unknown-layer",
                "Không có lớp / no layer named " + (name.length() > 40 ? name.substring(0, 40) : name)));
    }

    private static void checkTile(int z, long x, long y) {
        if (!TileGrid.valid(z, x, y)) {
            throw new ApiProblem(HttpStatus.NOT_FOUND, "tile-out-of-range", "Ô lưới ngoài phạm vi / tile outside the grid: " + z + "/" + x + "/" + y);
        }
    }

    @GetMapping("/tiles/{layer}/{z}/{x}/{y}.mvt")
    ResponseEntity<byte[]> mvt(@PathVariable String layer, @PathVariable int z, @PathVariable long x, @PathVariable long y,
                               @RequestParam(required = false) String asOf,
                               @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
        Viewer viewer = viewer();
        Layer l = layer(layer, viewer);
        checkTile(z, x, y);
        TileCache.Tile t = tiles.mvt(l, viewer, z, x, y, ParcelLookup.parseAsOf(asOf));
        return answer(t, MVT, TileService.isPublic(l, viewer), ifNoneMatch);
    }

    @GetMapping("/tiles/{layer}/{z}/{x}/{y}.png")
    ResponseEntity<byte[]> png(@PathVariable String layer, @PathVariable int z, @PathVariable long x, @PathVariable long y,
                               @RequestParam(required = false) String style, @RequestParam(required = false) String asOf,
                               @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
        Viewer viewer = viewer();
        Layer l = layer(layer, viewer);
        checkTile(z, x, y);
        TileCache.Tile t = tiles.png(l, style(l, style), viewer, z, x, y, ParcelLookup.parseAsOf(asOf));
        return answer(t, MediaType.IMAGE_PNG, TileService.isPublic(l, viewer), ifNoneMatch);
    }

    Style style(Layer layer, String name) {
        String n = name == null || name.isBlank() ? layer.definition().style() : name;
        if (!layer.styleNames().contains(n)) {
            throw new ApiProblem(HttpStatus.NOT_FOUND, "unknown-style", "Lớp " + layer.name() + " không có kiểu / layer has no style " + n);
        }
        return styles.style(n).orElseThrow();
    }

    private ResponseEntity<byte[]> answer(TileCache.Tile t, MediaType type, boolean isPublic, String ifNoneMatch) {
        CacheControl cc = isPublic ? CacheControl.maxAge(java.time.Duration.ofSeconds(properties.maxAgeSeconds())).cachePublic()
                : CacheControl.noCache().cachePrivate();
        if (ifNoneMatch != null && (ifNoneMatch.equals(t.etag()) || ifNoneMatch.equals("W/" + t.etag()))) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(t.etag()).cacheControl(cc).build();
        }
        if (t.bytes().length == 0) {
            return ResponseEntity.noContent().eTag(t.etag()).cacheControl(cc).build();
        }
        return ResponseEntity.ok().contentType(type).eTag(t.etag()).cacheControl(cc).header("Vary", "Authorization").body(t.bytes());
    }

    /** The first zoom with content: the layer's scale range on the WebMercatorQuad scales. */
    static int minZoom(Layer l) {
        int z = 0;
        while (z < TileGrid.MAX_ZOOM && !l.visibleAt(TileGrid.scaleDenominator(z))) {
            z++;
        }
        return z;
    }

    /** TileJSON 3.0.0 of a layer's vector tiles (and its PNG tiles). */
    @GetMapping(path = "/tiles/{layer}.json", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> tileJson(@PathVariable String layer, HttpServletRequest request) {
        Viewer viewer = viewer();
        Layer l = layer(layer, viewer);
        String base = ServletUriComponentsBuilder.fromCurrentContextPath().path("/tiles/").path(l.name()).build().toUriString();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("tilejson", "3.0.0");
        j.put("name", l.name());
        j.put("description", l.definition().title() + (l.definition().titleEn() == null ? "" : " / " + l.definition().titleEn()));
        j.put("scheme", "xyz");
        j.put("tiles", List.of(base + "/{z}/{x}/{y}.mvt"));
        j.put("raster_tiles", List.of(base + "/{z}/{x}/{y}.png"));
        int minzoom = minZoom(l);
        j.put("minzoom", minzoom);
        j.put("maxzoom", TileGrid.MAX_ZOOM);
        Optional<Envelope[]> extent = catalog.extent(l);
        extent.ifPresent(e -> {
            Envelope w = e[1];
            j.put("bounds", List.of(w.getMinX(), w.getMinY(), w.getMaxX(), w.getMaxY()));
            j.put("center", List.of(w.centre().x, w.centre().y, Math.max(minzoom, 14)));
        });
        Map<String, String> fields = new LinkedHashMap<>();
        for (Layer.Attribute a : l.attributesFor(viewer)) {
            fields.put(a.name(), a.dbType().matches("(integer|bigint|smallint|numeric.*|double precision|real)") ? "Number"
                    : a.dbType().equals("boolean") ? "Boolean" : "String");
        }
        List<Map<String, Object>> vectorLayers = new ArrayList<>();
        vectorLayers.add(Map.of("id", l.name(), "description", l.definition().title(), "minzoom", minzoom,
                "maxzoom", TileGrid.MAX_ZOOM, "fields", fields));
        j.put("vector_layers", vectorLayers);
        return j;
    }

}
