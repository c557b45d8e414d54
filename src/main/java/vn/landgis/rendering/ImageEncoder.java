package vn.landgis.rendering;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes rendered images. Thread-safe (no state). PNG and PNG8 go through a small built-in encoder (fast deflate,
 * see {@link PngWriter}); JPEG through ImageIO at quality 0.85 with transparency flattened onto white.
 * The output is deterministic for the same image.
 */
public final class ImageEncoder {

    static final float JPEG_QUALITY = 0.85f;

    private ImageEncoder() {
    }

    /** Writes the image; {@code out} is not closed. */
    public static void write(BufferedImage image, ImageFormat format, OutputStream out) throws IOException {
        switch (format) {
            case PNG -> {
                Pixels p = Pixels.of(image);
                PngWriter.writeRgba(p.argb, p.offset, p.stride, image.getWidth(), image.getHeight(), out, PngWriter.DEFAULT_LEVEL);
            }
            case PNG8 -> {
                Pixels p = Pixels.of(image);
                Quantizer.Result q = Quantizer.quantize(p.argb, p.offset, p.stride, image.getWidth(), image.getHeight());
                PngWriter.writeIndexed(q.indices(), image.getWidth(), image.getHeight(), q.palette(), q.size(), out, PngWriter.DEFAULT_LEVEL);
            }
            case JPEG -> writeJpeg(image, out);
        }
        out.flush();
    }

    /** Non-premultiplied ARGB pixels: the image's own array when it is a plain TYPE_INT_ARGB raster, else a copy. */
    private record Pixels(int[] argb, int offset, int stride) {
        static Pixels of(BufferedImage image) {
            if (image.getType() == BufferedImage.TYPE_INT_ARGB
                    && image.getRaster().getDataBuffer() instanceof DataBufferInt db
                    && db.getNumBanks() == 1
                    && image.getRaster().getSampleModel() instanceof SinglePixelPackedSampleModel sm
                    && image.getRaster().getParent() == null
                    && image.getRaster().getSampleModelTranslateX() == 0
                    && image.getRaster().getSampleModelTranslateY() == 0) {
                return new Pixels(db.getData(), db.getOffset(), sm.getScanlineStride());
            }
            int w = image.getWidth();
            int h = image.getHeight();
            return new Pixels(image.getRGB(0, 0, w, h, null, 0, w), 0, w);
        }
    }

    private static void writeJpeg(BufferedImage image, OutputStream out) throws IOException {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IOException("no JPEG writer in this JDK");
        }
        ImageWriter writer = writers.next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
