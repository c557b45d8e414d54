package vn.landgis.rendering;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;

class ImageEncoderTest {

    private static byte[] encode(BufferedImage img, ImageFormat f) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageEncoder.write(img, f, out);
        return out.toByteArray();
    }

    /** Parcels with antialiased edges and labels: thousands of distinct colours, a transparent background. */
    private static BufferedImage map() {
        List<MapFeature> features = new ArrayList<>();
        String[] codes = {"ONT", "LUC", "CLN", "DGT", "ODT", "RSX"};
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 10; j++) {
                features.add(MapRendererTest.feature(MapRendererTest.box(10 + i * 8, 10 + j * 8, 16.5 + i * 8, 16.7 + j * 8),
                        "land_use_code", codes[(i + j) % codes.length], "parcel_no", i * 10 + j));
            }
        }
        StyleLibrary lib = StyleLibrary.fromDirectory(Path.of("styles"));
        return new MapRenderer().render(new MapCanvas(new Envelope(0, 100, 0, 100), 256, 256, 3000, null),
                List.of(new LayerToDraw(lib.style("parcels").orElseThrow(), features),
                        new LayerToDraw(lib.style("planning_zones").orElseThrow(), features.subList(0, 30))));
    }

    @Test
    void pngRoundTripsExactly() throws IOException {
        BufferedImage img = map();
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(encode(img, ImageFormat.PNG)));
        assertThat(back.getWidth()).isEqualTo(256);
        assertThat(back.getHeight()).isEqualTo(256);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                assertThat(back.getRGB(x, y)).as("%d,%d", x, y).isEqualTo(img.getRGB(x, y));
            }
        }
        assertThat(back.getRGB(0, 0) >>> 24).isZero();
    }

    @Test
    void png8HasAPaletteKeepsTransparencyAndFlatColours() throws IOException {
        BufferedImage img = map();
        byte[] png8 = encode(img, ImageFormat.PNG8);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png8));
        assertThat(back.getColorModel()).isInstanceOf(IndexColorModel.class);
        assertThat(((IndexColorModel) back.getColorModel()).getMapSize()).isLessThanOrEqualTo(256);
        assertThat(back.getWidth()).isEqualTo(256);
        assertThat(back.getRGB(0, 0) >>> 24).isZero(); // transparent background
        // the centre of the first parcel (ONT, flat colour) keeps its exact colour
        int cx = (int) (13.25 * 2.56);
        int cy = 255 - (int) (13.35 * 2.56);
        assertThat(img.getRGB(cx, cy)).isEqualTo(0xFFFFD0FF);
        assertThat(back.getRGB(cx, cy)).isEqualTo(0xFFFFD0FF);
        // every pixel is close to the original
        long worst = 0;
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                int a = img.getRGB(x, y);
                int b = back.getRGB(x, y);
                if ((a >>> 24) == 0) {
                    assertThat(b >>> 24).isZero();
                    continue;
                }
                for (int s = 0; s < 32; s += 8) {
                    worst = Math.max(worst, Math.abs(((a >>> s) & 0xFF) - ((b >>> s) & 0xFF)));
                }
            }
        }
        assertThat(worst).isLessThan(64);
        assertThat(png8.length).isLessThan(encode(img, ImageFormat.PNG).length);
    }

    @Test
    void png8IsExactWithFewColours() throws IOException {
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                img.setRGB(x, y, x < 10 ? 0 : x < 20 ? 0x80FF0000 : x < 30 ? 0xFF00FF00 : 0xFF123456);
            }
        }
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(encode(img, ImageFormat.PNG8)));
        assertThat(back.getColorModel()).isInstanceOf(IndexColorModel.class);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                assertThat(back.getRGB(x, y)).isEqualTo(img.getRGB(x, y));
            }
        }
    }

    @Test
    void png8QuantisesManyColours() throws IOException {
        BufferedImage img = new BufferedImage(256, 256, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                img.setRGB(x, y, y < 16 ? 0 : 0xFF000000 | x << 16 | y << 8 | ((x + y) / 2));
            }
        }
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(encode(img, ImageFormat.PNG8)));
        assertThat(back.getColorModel()).isInstanceOf(IndexColorModel.class);
        assertThat(back.getRGB(5, 5) >>> 24).isZero();
        Color c = new Color(back.getRGB(200, 100));
        assertThat(c.getRed()).isCloseTo(200, org.assertj.core.data.Offset.offset(40));
        assertThat(c.getGreen()).isCloseTo(100, org.assertj.core.data.Offset.offset(40));
    }

    @Test
    void jpegFlattensOntoWhite() throws IOException {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 32; x < 64; x++) {
                img.setRGB(x, y, 0xFF2C7BB6);
            }
        }
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(encode(img, ImageFormat.JPEG)));
        assertThat(back.getWidth()).isEqualTo(64);
        assertThat(back.getHeight()).isEqualTo(48);
        Color white = new Color(back.getRGB(8, 24));
        Color blue = new Color(back.getRGB(48, 24));
        assertThat(white.getRed()).isGreaterThan(245);
        assertThat(white.getBlue()).isGreaterThan(245);
        assertThat(blue.getRed()).isCloseTo(0x2C, org.assertj.core.data.Offset.offset(12));
        assertThat(blue.getGreen()).isCloseTo(0x7B, org.assertj.core.data.Offset.offset(12));
        assertThat(blue.getBlue()).isCloseTo(0xB6, org.assertj.core.data.Offset.offset(12));
    }

    @Test
    void nonArgbImagesAreEncodedToo() throws IOException {
        BufferedImage rgb = new BufferedImage(10, 10, BufferedImage.TYPE_3BYTE_BGR);
        rgb.setRGB(3, 3, 0xFF00FF);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(encode(rgb, ImageFormat.PNG)));
        assertThat(back.getRGB(3, 3)).isEqualTo(0xFFFF00FF);
        assertThat(back.getRGB(4, 4)).isEqualTo(0xFF000000);
    }

    @Test
    void formatsFromMimeTypes() {
        assertThat(ImageFormat.fromMimeType("image/png")).contains(ImageFormat.PNG);
        assertThat(ImageFormat.fromMimeType("PNG")).contains(ImageFormat.PNG);
        assertThat(ImageFormat.fromMimeType("image/png8")).contains(ImageFormat.PNG8);
        assertThat(ImageFormat.fromMimeType("image/png; mode=8bit")).contains(ImageFormat.PNG8);
        assertThat(ImageFormat.fromMimeType(" Image/PNG ;  Mode=8BIT ")).contains(ImageFormat.PNG8);
        assertThat(ImageFormat.fromMimeType("image/png;mode=8bit")).contains(ImageFormat.PNG8);
        assertThat(ImageFormat.fromMimeType("image/jpeg")).contains(ImageFormat.JPEG);
        assertThat(ImageFormat.fromMimeType("jpeg")).contains(ImageFormat.JPEG);
        assertThat(ImageFormat.fromMimeType("jpg")).contains(ImageFormat.JPEG);
        assertThat(ImageFormat.fromMimeType("image/gif")).isEmpty();
        assertThat(ImageFormat.fromMimeType(null)).isEmpty();
        assertThat(ImageFormat.PNG8.mimeType()).isEqualTo("image/png; mode=8bit");
        assertThat(ImageFormat.PNG.supportsTransparency()).isTrue();
        assertThat(ImageFormat.PNG8.supportsTransparency()).isTrue();
        assertThat(ImageFormat.JPEG.supportsTransparency()).isFalse();
    }
}
