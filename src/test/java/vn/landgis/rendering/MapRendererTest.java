package vn.landgis.rendering;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;

class MapRendererTest {

    private static final GeometryFactory GF = new GeometryFactory();
    private static final StyleLibrary STYLES = StyleLibrary.fromDirectory(Path.of("styles"));
    private static final MapRenderer RENDERER = new MapRenderer();
    private static final int ONT = 0xFFFFD0FF;

    static Polygon box(double x0, double y0, double x1, double y1) {
        return GF.createPolygon(new Coordinate[]{new Coordinate(x0, y0), new Coordinate(x1, y0), new Coordinate(x1, y1),
                new Coordinate(x0, y1), new Coordinate(x0, y0)});
    }

    static MapFeature feature(Geometry g, Object... kv) {
        Map<String, Object> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return new MapFeature(m.getOrDefault("id", 1), g, m);
    }

    static Style style(String name) {
        return STYLES.style(name).orElseThrow();
    }

    /** A 100 x 100 px canvas on (0,0)-(100,100), one map unit per pixel. */
    static MapCanvas canvas(double scale, Color background) {
        return new MapCanvas(new Envelope(0, 100, 0, 100), 100, 100, scale, background);
    }

    static boolean blank(BufferedImage img) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) >>> 24) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void ontParcelIsFilledWithItsColourAndTheRestStaysTransparent() {
        MapFeature parcel = feature(box(20, 20, 80, 80), "land_use_code", "ONT", "parcel_no", 7);
        BufferedImage img = RENDERER.render(canvas(5000, null), List.of(new LayerToDraw(style("parcels"), List.of(parcel))));
        assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_INT_ARGB);
        assertThat(img.getRGB(50, 50)).isEqualTo(ONT);
        assertThat(img.getRGB(5, 5)).isZero();
        assertThat(img.getRGB(95, 50)).isZero();
        // the 0.5 px dark-grey outline darkens the edge pixels
        Color edge = new Color(img.getRGB(20, 50), true);
        assertThat(edge.getRed()).isLessThan(0xFF);

        BufferedImage onWhite = RENDERER.render(canvas(5000, Color.WHITE), List.of(new LayerToDraw(style("parcels"), List.of(parcel))));
        assertThat(onWhite.getRGB(50, 50)).isEqualTo(ONT);
        assertThat(onWhite.getRGB(5, 5)).isEqualTo(0xFFFFFFFF);
    }

    @Test
    void yAxisPointsNorth() {
        // a parcel in the north-west quarter of the map lands in the top-left quarter of the image
        MapFeature parcel = feature(box(0, 50, 50, 100), "land_use_code", "ONT");
        BufferedImage img = RENDERER.render(canvas(5000, null), List.of(new LayerToDraw(style("parcels"), List.of(parcel))));
        assertThat(img.getRGB(25, 25)).isEqualTo(ONT);
        assertThat(img.getRGB(25, 75)).isZero();
        assertThat(img.getRGB(75, 25)).isZero();
    }

    @Test
    void unknownCodeIsGreyThroughTheElseRule() {
        MapFeature parcel = feature(box(20, 20, 80, 80), "land_use_code", "ZZZ");
        BufferedImage img = RENDERER.render(canvas(5000, null), List.of(new LayerToDraw(style("parcels"), List.of(parcel))));
        assertThat(img.getRGB(50, 50)).isEqualTo(0xFFC8C8C8);
    }

    @Test
    void aHoleStaysUnfilled() {
        LinearRing shell = box(10, 10, 90, 90).getExteriorRing();
        LinearRing hole = box(40, 40, 60, 60).getExteriorRing();
        Polygon withHole = GF.createPolygon(shell, new LinearRing[]{hole});
        BufferedImage img = RENDERER.render(canvas(100_000, null),
                List.of(new LayerToDraw(style("parcels"), List.of(feature(withHole, "land_use_code", "ONT")))));
        assertThat(img.getRGB(50, 50)).isZero();
        assertThat(img.getRGB(25, 25)).isEqualTo(ONT);
        // a multipolygon and a hole given in the same orientation as the shell still leave the hole empty
        Polygon sameOrientation = GF.createPolygon(shell, new LinearRing[]{box(40, 40, 60, 60).getExteriorRing()});
        Geometry multi = GF.createMultiPolygon(new Polygon[]{sameOrientation, box(0, 0, 5, 5)});
        BufferedImage img2 = RENDERER.render(canvas(100_000, null),
                List.of(new LayerToDraw(style("parcels"), List.of(feature(multi, "land_use_code", "ONT")))));
        assertThat(img2.getRGB(50, 50)).isZero();
        assertThat(img2.getRGB(2, 97)).isEqualTo(ONT);
    }

    @Test
    void layersAreDrawnInListOrderAndFeaturesOutsideAreSkipped() {
        Style parcels = style("parcels");
        LayerToDraw bottom = new LayerToDraw(parcels, List.of(feature(box(0, 0, 100, 100), "land_use_code", "ONT")));
        LayerToDraw top = new LayerToDraw(parcels, List.of(feature(box(40, 40, 60, 60), "land_use_code", "LUC"),
                feature(box(500, 500, 600, 600), "land_use_code", "LUC")));
        BufferedImage img = RENDERER.render(canvas(100_000, null), List.of(bottom, top));
        assertThat(img.getRGB(50, 50)).isEqualTo(0xFFFFFC8C);
        assertThat(img.getRGB(10, 10)).isEqualTo(ONT);
    }

    @Test
    void oneShotStreamsServeEveryPass() {
        Style parcels = style("parcels"); // two FeatureTypeStyles: fills, then outlines
        Stream<MapFeature> stream = Stream.of(feature(box(20, 20, 80, 80), "land_use_code", "ONT"));
        Iterable<MapFeature> once = stream::iterator;
        BufferedImage img = RENDERER.render(canvas(5000, null), List.of(new LayerToDraw(parcels, once)));
        assertThat(img.getRGB(50, 50)).isEqualTo(ONT);
        assertThat(new Color(img.getRGB(20, 50), true).getRed()).isLessThan(0xFF);
    }

    @Test
    void hatchesContinueAcrossAdjacentTiles() {
        Style zones = style("planning_zones");
        double px = 0.5; // map units per pixel
        double x0 = 1003;
        double y0 = 2001;
        int w = 64;
        int h = 48;
        MapFeature zone = feature(box(0, 0, 10_000, 10_000), "land_use_code", "DGT");
        List<LayerToDraw> layers = List.of(new LayerToDraw(zones, List.of(zone)));
        BufferedImage left = RENDERER.render(new MapCanvas(new Envelope(x0, x0 + w * px, y0, y0 + h * px), w, h, 5000, null), layers);
        BufferedImage right = RENDERER.render(new MapCanvas(new Envelope(x0 + w * px, x0 + 2 * w * px, y0, y0 + h * px), w, h, 5000, null), layers);
        BufferedImage both = RENDERER.render(new MapCanvas(new Envelope(x0, x0 + 2 * w * px, y0, y0 + h * px), 2 * w, h, 5000, null), layers);
        BufferedImage below = RENDERER.render(new MapCanvas(new Envelope(x0, x0 + w * px, y0 - h * px, y0), w, h, 5000, null), layers);
        BufferedImage tall = RENDERER.render(new MapCanvas(new Envelope(x0, x0 + w * px, y0 - h * px, y0 + h * px), w, 2 * h, 5000, null), layers);
        // the hatch is there: the tile is not one flat colour
        assertThat(java.util.Arrays.stream(pixels(left)).distinct().count()).isGreaterThan(2);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertThat(left.getRGB(x, y)).as("left %d,%d", x, y).isEqualTo(both.getRGB(x, y));
                assertThat(right.getRGB(x, y)).as("right %d,%d", x, y).isEqualTo(both.getRGB(w + x, y));
                assertThat(below.getRGB(x, y)).as("below %d,%d", x, y).isEqualTo(tall.getRGB(x, h + y));
            }
        }
        // the columns on both sides of the shared edge continue the pattern: the diagonal steps by one pixel per row
        int lastLeft = left.getRGB(w - 1, 10);
        assertThat(right.getRGB(0, 9)).isEqualTo(lastLeft); // '/' goes up to the right
    }

    private static Style labelStyle() {
        return Sld.rules(Sld.textRule("name", 12));
    }

    private static MapFeature point(double x, double y, String name) {
        return feature(GF.createPoint(new Coordinate(x, y)), "name", name);
    }

    @Test
    void vietnameseLabelRenders() {
        BufferedImage img = RENDERER.render(canvas(1000, null), List.of(new LayerToDraw(labelStyle(), List.of(point(50, 50, "Phường 1")))));
        assertThat(blank(img)).isFalse();
        // dark text pixels exist (not only the white halo)
        assertThat(java.util.Arrays.stream(pixels(img)).anyMatch(p -> (p >>> 24) == 0xFF && (p & 0xFF) < 0x40)).isTrue();
        assertThat(Fonts.family(List.of("DejaVu Sans"))).isEqualTo("DejaVu Sans");
        assertThat(Fonts.font(List.of("DejaVu Sans"), false, false, 12).canDisplayUpTo("Phường Ấp Đông Hưng Thuận ỹ ự")).isEqualTo(-1);
    }

    @Test
    void aLabelThatWouldNotFitInsideTheImageIsDropped() {
        for (double[] at : new double[][]{{97, 50}, {3, 50}, {50, 1}, {50, 99}}) {
            BufferedImage img = RENDERER.render(canvas(1000, null), List.of(new LayerToDraw(labelStyle(), List.of(point(at[0], at[1], "Phường 1")))));
            assertThat(blank(img)).as("label at %s,%s", at[0], at[1]).isTrue();
        }
    }

    @Test
    void overlappingLabelsKeepTheFirstOnly() {
        Style s = labelStyle();
        BufferedImage first = RENDERER.render(canvas(1000, null), List.of(new LayerToDraw(s, List.of(point(50, 50, "Phường 1")))));
        BufferedImage both = RENDERER.render(canvas(1000, null), List.of(new LayerToDraw(s, List.of(point(50, 50, "Phường 1"), point(52, 53, "Xã Hòa")))));
        assertThat(pixels(both)).isEqualTo(pixels(first));
        // earlier layers win over later ones
        BufferedImage layered = RENDERER.render(canvas(1000, null), List.of(new LayerToDraw(s, List.of(point(50, 50, "Phường 1"))),
                new LayerToDraw(s, List.of(point(52, 53, "Xã Hòa")))));
        assertThat(pixels(layered)).isEqualTo(pixels(first));
        // far apart, both are drawn
        BufferedImage apart = RENDERER.render(canvas(1000, null), List.of(new LayerToDraw(s, List.of(point(50, 20, "Phường 1"), point(50, 80, "Xã Hòa")))));
        assertThat(pixels(apart)).isNotEqualTo(pixels(first));
    }

    @Test
    void labelsAreDrawnAboveAllGeometry() {
        Style parcels = style("parcels");
        LayerToDraw labels = new LayerToDraw(labelStyle(), List.of(point(50, 50, "Phường 1")));
        LayerToDraw fill = new LayerToDraw(parcels, List.of(feature(box(0, 0, 100, 100), "land_use_code", "ONT")));
        BufferedImage img = RENDERER.render(canvas(100_000, null), List.of(labels, fill));
        assertThat(java.util.Arrays.stream(pixels(img)).anyMatch(p -> (p & 0xFFFFFF) < 0x404040)).isTrue();
    }

    @Test
    void tinyParcelsGetNoLabel() {
        Style parcels = style("parcels");
        // 1:1000 on a 100 px canvas of 28 m: 0.28 m per pixel
        MapCanvas c = new MapCanvas(new Envelope(0, 28, 0, 28), 100, 100, 1000, null);
        MapFeature tiny = feature(box(13.5, 13.5, 14.5, 14.5), "land_use_code", "ONT", "parcel_no", 12345); // about 3.6 px
        MapFeature big = feature(box(4, 4, 24, 24), "land_use_code", "ONT", "parcel_no", 12); // about 71 px
        BufferedImage tinyImg = RENDERER.render(c, List.of(new LayerToDraw(parcels, List.of(tiny))));
        BufferedImage noLabel = RENDERER.render(c, List.of(new LayerToDraw(parcels, List.of(feature(tiny.geometry(), "land_use_code", "ONT")))));
        assertThat(pixels(tinyImg)).isEqualTo(pixels(noLabel));
        BufferedImage bigImg = RENDERER.render(c, List.of(new LayerToDraw(parcels, List.of(big))));
        BufferedImage bigNoLabel = RENDERER.render(c, List.of(new LayerToDraw(parcels, List.of(feature(big.geometry(), "land_use_code", "ONT")))));
        assertThat(pixels(bigImg)).isNotEqualTo(pixels(bigNoLabel));
    }

    @Test
    void pointMarksAndLines() {
        BufferedImage img = RENDERER.render(canvas(1000, null), List.of(
                new LayerToDraw(style("communes"), List.of(feature(GF.createLineString(new Coordinate[]{new Coordinate(0, 10), new Coordinate(100, 10)}), "name", null))),
                new LayerToDraw(style("field_reports_status"), List.of(feature(GF.createPoint(new Coordinate(30, 50)), "status", "open"),
                        feature(GF.createPoint(new Coordinate(70, 50)), "status", "closed"))),
                new LayerToDraw(style("import_findings"), List.of(feature(box(40, 70, 60, 90), "severity", "warning")))));
        assertThat(img.getRGB(30, 50)).isEqualTo(0xFFD7191C);
        assertThat(img.getRGB(70, 50)).isEqualTo(0xFF1A9641);
        assertThat(img.getRGB(30, 42)).isZero(); // radius 5 + white stroke stays within 6 px
        assertThat(img.getRGB(50, 22)).isEqualTo(0xFFF28C28); // triangle at the polygon's interior point
        boolean red = false;
        for (int x = 0; x < 100; x++) {
            Color c = new Color(img.getRGB(x, 90), true);
            red |= c.getAlpha() > 150 && c.getRed() > 100 && c.getGreen() < 40;
        }
        assertThat(red).as("dash-dot boundary on row 90").isTrue();
    }

    @Test
    void renderingIsDeterministic() throws Exception {
        List<MapFeature> features = new ArrayList<>();
        java.util.Random rnd = new java.util.Random(42);
        String[] codes = {"ONT", "LUC", "CLN", "DGT", "XYZ"};
        for (int i = 0; i < 200; i++) {
            double x = rnd.nextDouble() * 90;
            double y = rnd.nextDouble() * 90;
            features.add(feature(box(x, y, x + 3 + rnd.nextDouble() * 20, y + 3 + rnd.nextDouble() * 20), "land_use_code",
                    codes[i % codes.length], "parcel_no", i));
        }
        List<LayerToDraw> layers = List.of(new LayerToDraw(style("parcels"), features), new LayerToDraw(style("planning_zones"), features));
        MapCanvas c = new MapCanvas(new Envelope(0, 100, 0, 100), 256, 256, 900, null);
        BufferedImage a = RENDERER.render(c, layers);
        BufferedImage b = RENDERER.render(c, layers);
        assertThat(pixels(a)).isEqualTo(pixels(b));
        for (ImageFormat f : ImageFormat.values()) {
            java.io.ByteArrayOutputStream x = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream y = new java.io.ByteArrayOutputStream();
            ImageEncoder.write(a, f, x);
            ImageEncoder.write(b, f, y);
            assertThat(x.toByteArray()).as(f.name()).isEqualTo(y.toByteArray());
        }
    }

    @Test
    void concurrentRendersShareStylesSafely() throws Exception {
        List<MapFeature> features = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            double x = (i % 10) * 10;
            double y = (i / 10) * 10;
            features.add(feature(box(x, y, x + 9, y + 9), "land_use_code", i % 3 == 0 ? "DGT" : "ONT", "parcel_no", i,
                    "zone_code", "Z" + i));
        }
        List<LayerToDraw> layers = List.of(new LayerToDraw(style("parcels"), features), new LayerToDraw(style("planning_zones"), features));
        MapCanvas c = new MapCanvas(new Envelope(0, 100, 0, 100), 256, 256, 900, null);
        int[] expected = pixels(RENDERER.render(c, layers));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<int[]>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> pixels(RENDERER.render(c, layers))));
            }
            for (java.util.concurrent.Future<int[]> f : results) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPolygonLargerThanThePictureIsLabelledInTheVisiblePart() {
        Style communes = style("communes");
        // a commune of 1 km x 1 km; the canvas shows 100 m of its south-west corner, far from its centre
        MapFeature commune = feature(box(0, 0, 1000, 1000), "name", "Xã Tân Phú");
        BufferedImage img = RENDERER.render(canvas(5000, null), List.of(new LayerToDraw(communes, List.of(commune))));
        boolean text = false;
        for (int y = 30; y < 70; y++) {
            for (int x = 10; x < 90; x++) {
                text |= (img.getRGB(x, y) >>> 24) != 0;
            }
        }
        assertThat(text).as("label in the middle of the visible part").isTrue();
        // a smaller polygon that merely crosses the edge keeps its own centre: no label here
        MapFeature small = feature(box(-60, 20, 40, 80), "name", "Xã Tân Phú");
        BufferedImage img2 = RENDERER.render(canvas(5000, null), List.of(new LayerToDraw(communes, List.of(small))));
        boolean text2 = false;
        for (int y = 30; y < 70; y++) {
            for (int x = 0; x < 38; x++) {
                text2 |= (img2.getRGB(x, y) >>> 24) != 0;
            }
        }
        assertThat(text2).isFalse();
    }

    @Test
    void aTwoLineLabelWithoutItsFirstLineKeepsTheSecond() {
        Style parcels = style("parcels");
        MapCanvas c = new MapCanvas(new Envelope(0, 28, 0, 28), 100, 100, 1000, null);
        MapFeature codeOnly = feature(box(4, 4, 24, 24), "land_use_code", "ONT", "land_uses", "ONT+CLN");
        MapFeature none = feature(box(4, 4, 24, 24), "land_use_code", "ONT", "land_uses", "ONT+CLN", "parcel_no", null);
        assertThat(pixels(RENDERER.render(c, List.of(new LayerToDraw(parcels, List.of(codeOnly))))))
                .isEqualTo(pixels(RENDERER.render(c, List.of(new LayerToDraw(parcels, List.of(none))))));
        assertThat(RENDERER.render(c, List.of(new LayerToDraw(parcels, List.of(codeOnly)))).getRGB(50, 50)).isNotEqualTo(ONT);
    }
}
