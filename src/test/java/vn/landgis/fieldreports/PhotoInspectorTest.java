package vn.landgis.fieldreports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class PhotoInspectorTest {

    static byte[] png(int w, int h) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    @Test
    void whenEveryDecoderIsBusyAPhotoWaitsBrieflyThenGets503() throws Exception {
        PhotoInspector none = new PhotoInspector(50_000_000, 100L << 20, 0, 50);
        long t0 = System.nanoTime();
        Open311Exception e = catchThrowableOfType(Open311Exception.class, () -> none.inspect(png(10, 10)));
        assertThat(e.code()).isEqualTo(503);
        assertThat(e.retryAfterSeconds()).isPositive();
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(40L, 2000L);
        // and a decoder is given back after each photo, refused or not
        PhotoInspector one = new PhotoInspector(50_000_000, 100L << 20, 1, 50);
        assertThat(catchThrowableOfType(Open311Exception.class, () -> one.inspect(Open311Test.pngDeclaring(7071, 7071))).code()).isEqualTo(413);
        assertThat(one.inspect(png(10, 10)).publicCopy()).isTrue();
    }

    @Test
    void theDecodedSizeCountsBytesPerPixelNotJustPixels() throws Exception {
        // 3000 x 3000 RGB is 27 MB decoded: over a 20 MB cap though only 9 megapixels
        PhotoInspector small = new PhotoInspector(50_000_000, 20L << 20, 2, 1000);
        assertThat(catchThrowableOfType(Open311Exception.class, () -> small.inspect(png(3000, 3000))).getMessage()).contains("once decoded");
        assertThat(small.inspect(png(2000, 2000)).kind()).isEqualTo(PhotoInspector.Kind.PNG);
    }

    @Test
    void theBiggestPhotosPublicCopyIsScaledDown() throws Exception {
        PhotoInspector p = new PhotoInspector(50_000_000, 100L << 20, 2, 1000);
        BufferedImage copy = ImageIO.read(new ByteArrayInputStream(p.inspect(png(5000, 100)).stored()));
        assertThat(copy.getWidth()).isEqualTo(PhotoInspector.PUBLIC_MAX_SIDE);
        assertThat(copy.getHeight()).isEqualTo(82);
    }
}
