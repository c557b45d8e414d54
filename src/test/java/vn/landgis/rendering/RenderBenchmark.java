package vn.landgis.rendering;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * Not a unit test (surefire does not pick it up): times render + encode of a 256 x 256 tile with about 400 parcels.
 * Run: java -cp target/classes:target/test-classes:$(deps) vn.landgis.rendering.RenderBenchmark [outDir]
 */
public final class RenderBenchmark {

    public static void main(String[] args) throws IOException {
        GeometryFactory gf = new GeometryFactory();
        Random rnd = new Random(7);
        List<String[]> types = ShippedStylesTest.landUseTypes();
        // a 20 x 20 grid of jittered parcels, 12 vertices each, on a 256 px tile of 358.4 m (1:5000)
        double size = 358.4;
        double x0 = 580_000;
        double y0 = 1_200_000;
        List<MapFeature> parcels = new ArrayList<>();
        int n = 20;
        double cell = size / n;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                Coordinate[] ring = new Coordinate[13];
                double cx = x0 + (i + 0.5) * cell;
                double cy = y0 + (j + 0.5) * cell;
                for (int k = 0; k < 12; k++) {
                    double a = 2 * Math.PI * k / 12;
                    double r = cell * (0.45 + 0.08 * rnd.nextDouble()) / Math.max(Math.abs(Math.cos(a)), Math.abs(Math.sin(a))) * 0.98;
                    ring[k] = new Coordinate(cx + r * Math.cos(a), cy + r * Math.sin(a));
                }
                ring[12] = ring[0];
                String code = types.get(rnd.nextInt(types.size()))[0];
                parcels.add(new MapFeature(i * n + j, gf.createPolygon(ring),
                        java.util.Map.of("land_use_code", code, "parcel_no", i * n + j + 1, "sheet_no", 12)));
            }
        }
        StyleLibrary lib = StyleLibrary.fromDirectory(Path.of("styles"));
        Style style = lib.style("parcels").orElseThrow();
        MapRenderer renderer = new MapRenderer();
        MapCanvas fills = new MapCanvas(new Envelope(x0, x0 + size, y0, y0 + size), 256, 256, 5000, null);
        // the same parcels seen at 1:2000 (labels on): a smaller bbox shows fewer of them, so scale the bbox instead
        MapCanvas labelled = new MapCanvas(new Envelope(x0, x0 + size, y0, y0 + size), 256, 256, 2000, null);
        Path out = args.length > 0 ? Path.of(args[0]) : null;
        MapCanvas noOutline = new MapCanvas(new Envelope(x0, x0 + size, y0, y0 + size), 256, 256, 60000, null);
        for (MapCanvas c : List.of(fills, labelled, noOutline)) {
            List<LayerToDraw> layers = List.of(new LayerToDraw(style, parcels));
            BufferedImage img = null;
            for (int i = 0; i < 300; i++) { // warm-up
                img = renderer.render(c, layers);
                ImageEncoder.write(img, ImageFormat.PNG, new ByteArrayOutputStream());
                ImageEncoder.write(img, ImageFormat.PNG8, new ByteArrayOutputStream());
            }
            int runs = 300;
            long[] render = new long[runs];
            long[] png = new long[runs];
            long[] png8 = new long[runs];
            long[] imageio = new long[runs];
            long[] wallPng = new long[runs];
            long[] wallPng8 = new long[runs];
            int pngSize = 0;
            int png8Size = 0;
            int imageioSize = 0;
            // thread CPU time: wall time on a shared 2-core machine says more about the neighbours than the code
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int i = 0; i < runs; i++) {
                long w0 = System.nanoTime();
                long t0 = mx.getCurrentThreadCpuTime();
                img = renderer.render(c, layers);
                long t1 = mx.getCurrentThreadCpuTime();
                ByteArrayOutputStream b1 = new ByteArrayOutputStream();
                ImageEncoder.write(img, ImageFormat.PNG, b1);
                long t2 = mx.getCurrentThreadCpuTime();
                wallPng[i] = System.nanoTime() - w0;
                ByteArrayOutputStream b2 = new ByteArrayOutputStream();
                ImageEncoder.write(img, ImageFormat.PNG8, b2);
                long t3 = mx.getCurrentThreadCpuTime();
                byte[] io = imageioPng(img);
                long t4 = mx.getCurrentThreadCpuTime();
                long w1 = System.nanoTime();
                ByteArrayOutputStream b8 = new ByteArrayOutputStream();
                ImageEncoder.write(renderer.render(c, layers), ImageFormat.PNG8, b8);
                wallPng8[i] = System.nanoTime() - w1;
                render[i] = t1 - t0;
                png[i] = t2 - t1;
                png8[i] = t3 - t2;
                imageio[i] = t4 - t3;
                pngSize = b1.size();
                png8Size = b2.size();
                imageioSize = io.length;
            }
            System.out.printf("CPU time, scale 1:%.0f, %d parcels, 256x256: render %s | PNG %s (%d B) | PNG8 %s (%d B) | ImageIO PNG default %s (%d B)%n",
                    c.scaleDenominator(), parcels.size(), median(render), median(png), pngSize, median(png8), png8Size,
                    median(imageio), imageioSize);
            System.out.printf("    wall clock: render+PNG %s | render+PNG8 %s%n", median(wallPng), median(wallPng8));
            if (out != null) {
                Files.createDirectories(out);
                ImageIO.write(img, "png", out.resolve("parcels_" + (long) c.scaleDenominator() + ".png").toFile());
            }
        }
    }

    private static byte[] imageioPng(BufferedImage img) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(b)) {
            w.setOutput(ios);
            ImageWriteParam p = w.getDefaultWriteParam();
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        return b.toByteArray();
    }

    private static String median(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return String.format("%.2f ms (p90 %.2f)", s[s.length / 2] / 1e6, s[(int) (s.length * 0.9)] / 1e6);
    }
}
