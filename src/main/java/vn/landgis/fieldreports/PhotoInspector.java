package vn.landgis.fieldreports;

import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Checks a report's photo: the type from its first bytes (JPEG, PNG, HEIC; the file name and the declared type
 * are not trusted, so a zip called .png is refused), its size in pixels before decoding, the GPS position and
 * orientation in its EXIF. JPEG and PNG are decoded and encoded again, which leaves every metadata block (EXIF,
 * XMP, comments, anything appended) behind; that copy is the one served publicly. HEIC cannot be decoded here:
 * it is kept for officers and never served publicly. A photo is refused before decoding when its decoded pixels
 * (width × height × bytes per pixel, read from the header) would pass the cap: a small PNG may declare 7071 × 7071
 * 16-bit RGBA, 400 MB once decoded. At most {@code permits} photos are decoded at once (requests run on virtual
 * threads, so nothing else bounds it); the others wait a little, then get a 503. The public copy of a very large
 * photo is scaled down to {@link #PUBLIC_MAX_SIDE} pixels. Thread-safe.
 */
final class PhotoInspector {

    enum Kind {
        JPEG("image/jpeg", "jpg"), PNG("image/png", "png"), HEIC("image/heic", "heic");

        final String contentType;
        final String extension;

        Kind(String contentType, String extension) {
            this.contentType = contentType;
            this.extension = extension;
        }
    }

    /**
     * An accepted photo.
     *
     * @param kind        what it is
     * @param stored      the bytes kept: re-encoded without metadata (JPEG, PNG), or as sent (HEIC)
     * @param publicCopy  whether {@code stored} may be served publicly
     * @param exifLonLat  the EXIF GPS position (WGS 84 lon, lat), or null
     */
    record Photo(Kind kind, byte[] stored, boolean publicCopy, double[] exifLonLat, int originalSize) {
    }

    /** Longest side of the public copy, in pixels. */
    static final int PUBLIC_MAX_SIDE = 4096;

    private final long maxPixels;
    private final long maxDecodedBytes;
    private final Semaphore decoding;
    private final long waitMillis;

    PhotoInspector(long maxPixels, long maxDecodedBytes, int permits, long waitMillis) {
        this.maxPixels = maxPixels;
        this.maxDecodedBytes = maxDecodedBytes;
        this.decoding = new Semaphore(permits, true);
        this.waitMillis = waitMillis;
    }

    /** The type by magic bytes, or null when it is none of ours. */
    static Kind sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return Kind.JPEG;
        }
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return Kind.PNG;
        }
        if (b.length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            String brand = new String(b, 8, 4, java.nio.charset.StandardCharsets.US_ASCII);
            if (java.util.Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1").contains(brand)) {
                return Kind.HEIC;
            }
        }
        return null;
    }

    Photo inspect(byte[] bytes) {
        Kind kind = sniff(bytes);
        if (kind == null) {
            throw new Open311Exception(415, "Ảnh phải là JPEG, PNG hoặc HEIC (kiểm tra theo nội dung tệp) / media must be a JPEG, PNG or HEIC image "
                    + "(checked by its content" + (bytes.length >= 2 && bytes[0] == 'P' && bytes[1] == 'K' ? ": this one is a zip archive" : "") + ")");
        }
        Exif exif = Exif.read(bytes);
        double[] lonLat = exif == null ? null : exif.lonLat();
        if (kind == Kind.HEIC) {
            return new Photo(kind, bytes, false, lonLat, bytes.length);
        }
        boolean admitted;
        try {
            admitted = decoding.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            throw new Open311Exception(503, "Máy chủ đang bận xử lý ảnh; thử lại sau ít giây / busy processing photos; retry in a few seconds", 5);
        }
        try {
            BufferedImage image = decode(bytes, kind);
            if (exif != null && exif.orientation() > 1) {
                image = orient(image, exif.orientation());
            }
            return new Photo(kind, encode(shrink(image), kind), true, lonLat, bytes.length);
        } finally {
            decoding.release();
        }
    }

    /** The image scaled down to fit {@link #PUBLIC_MAX_SIDE} if it is larger. */
    private static BufferedImage shrink(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (Math.max(w, h) <= PUBLIC_MAX_SIDE) {
            return image;
        }
        double scale = (double) PUBLIC_MAX_SIDE / Math.max(w, h);
        int sw = Math.max(1, (int) Math.round(w * scale));
        int sh = Math.max(1, (int) Math.round(h * scale));
        BufferedImage out = new BufferedImage(sw, sh, image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, sw, sh, null);
        g.dispose();
        return out;
    }

    /** Bytes per pixel once decoded: the raw image type's bands, each at least a byte (16-bit ones two); 4 if unknown. */
    private static int bytesPerPixel(ImageReader reader) throws IOException {
        ImageTypeSpecifier type = reader.getRawImageType(0);
        if (type == null) {
            return 4;
        }
        int bytes = 0;
        for (int b = 0; b < type.getNumBands(); b++) {
            bytes += (type.getBitsPerBand(b) + 7) / 8;
        }
        return Math.max(1, bytes);
    }

    private BufferedImage decode(byte[] bytes, Kind kind) {
        String unreadable = "Không đọc được ảnh " + kind + " / the " + kind + " image cannot be read";
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(kind == Kind.JPEG ? "jpeg" : "png");
            if (!readers.hasNext()) {
                throw new IllegalStateException("no ImageIO reader for " + kind);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                long pixels = (long) width * height;
                if (pixels > maxPixels) {
                    throw new Open311Exception(413, "Ảnh quá lớn (" + pixels / 1_000_000 + " triệu điểm ảnh) / image too large: "
                            + pixels / 1_000_000 + " megapixels, at most " + maxPixels / 1_000_000);
                }
                long decoded = pixels * bytesPerPixel(reader);
                if (decoded > maxDecodedBytes) {
                    long mb = decoded / (1024 * 1024);
                    long max = maxDecodedBytes / (1024 * 1024);
                    throw new Open311Exception(413, "Ảnh quá lớn khi giải nén (" + width + " × " + height + ", " + mb + " MB, tối đa " + max
                            + " MB) / image too large once decoded: " + width + " x " + height + " pixels need " + mb + " MB, at most " + max + " MB");
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw Open311Exception.badRequest(unreadable);
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof Open311Exception o) {
                throw o;
            }
            throw Open311Exception.badRequest(unreadable);
        }
    }

    private static byte[] encode(BufferedImage image, Kind kind) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
            if (kind == Kind.PNG) {
                ImageIO.write(image, "png", out);
                return out.toByteArray();
            }
            BufferedImage rgb = image;
            if (image.getType() != BufferedImage.TYPE_INT_RGB && image.getType() != BufferedImage.TYPE_3BYTE_BGR
                    && image.getType() != BufferedImage.TYPE_BYTE_GRAY) {
                rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
                var g = rgb.createGraphics();
                g.drawImage(image, 0, 0, java.awt.Color.WHITE, null);
                g.dispose();
            }
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                ImageWriteParam p = writer.getDefaultWriteParam();
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(0.88f);
                writer.setOutput(ios);
                writer.write(null, new IIOImage(rgb, null, null), p);
            } finally {
                writer.dispose();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("encoding a photo", e);
        }
    }

    /** Turns the pixels the way EXIF orientation 2-8 says, since the re-encoded copy has no EXIF to say it. */
    private static BufferedImage orient(BufferedImage image, int orientation) {
        int w = image.getWidth();
        int h = image.getHeight();
        AffineTransform t = new AffineTransform();
        boolean swap = orientation >= 5;
        switch (orientation) {
            case 2 -> { t.translate(w, 0); t.scale(-1, 1); }
            case 3 -> { t.translate(w, h); t.rotate(Math.PI); }
            case 4 -> { t.translate(0, h); t.scale(1, -1); }
            case 5 -> t.setTransform(0, 1, 1, 0, 0, 0);
            case 6 -> { t.translate(h, 0); t.rotate(Math.PI / 2); }
            case 7 -> t.setTransform(0, -1, -1, 0, h, w);
            case 8 -> { t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            default -> { return image; }
        }
        int type = image.getType() == BufferedImage.TYPE_CUSTOM ? BufferedImage.TYPE_INT_ARGB : image.getType();
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, type);
        new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(image, out);
        return out;
    }

    /** The little of EXIF that matters here: GPS position and orientation. */
    record Exif(double[] lonLat, int orientation) {

        /** Finds a TIFF block after "Exif\0\0" (JPEG APP1, HEIC) or in a PNG eXIf chunk; null when none parses. */
        static Exif read(byte[] b) {
            for (int i = 0; i + 12 < b.length; i++) {
                int tiff = -1;
                if (b[i] == 'E' && b[i + 1] == 'x' && b[i + 2] == 'i' && b[i + 3] == 'f' && b[i + 4] == 0 && b[i + 5] == 0) {
                    tiff = i + 6;
                } else if (b[i] == 'e' && b[i + 1] == 'X' && b[i + 2] == 'I' && b[i + 3] == 'f') {
                    tiff = i + 4;
                }
                if (tiff >= 0 && tiff + 8 < b.length && ((b[tiff] == 'I' && b[tiff + 1] == 'I') || (b[tiff] == 'M' && b[tiff + 1] == 'M'))) {
                    try {
                        return parse(ByteBuffer.wrap(b, tiff, b.length - tiff).slice());
                    } catch (RuntimeException e) {
                        return null;   // a damaged EXIF block is no reason to refuse the photo
                    }
                }
            }
            return null;
        }

        private static Exif parse(ByteBuffer t) {
            t.order(t.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            if (t.getShort(2) != 42) {
                return null;
            }
            int ifd0 = t.getInt(4);
            int orientation = 1;
            int gps = -1;
            int n = t.getShort(ifd0) & 0xFFFF;
            for (int e = 0; e < n && e < 500; e++) {
                int at = ifd0 + 2 + e * 12;
                int tag = t.getShort(at) & 0xFFFF;
                if (tag == 0x0112) {
                    orientation = t.getShort(at + 8) & 0xFFFF;
                } else if (tag == 0x8825) {
                    gps = t.getInt(at + 8);
                }
            }
            double[] lonLat = null;
            if (gps > 0) {
                char latRef = 0;
                char lonRef = 0;
                double lat = Double.NaN;
                double lon = Double.NaN;
                int m = t.getShort(gps) & 0xFFFF;
                for (int e = 0; e < m && e < 100; e++) {
                    int at = gps + 2 + e * 12;
                    int tag = t.getShort(at) & 0xFFFF;
                    switch (tag) {
                        case 1 -> latRef = (char) t.get(at + 8);
                        case 2 -> lat = degrees(t, t.getInt(at + 8));
                        case 3 -> lonRef = (char) t.get(at + 8);
                        case 4 -> lon = degrees(t, t.getInt(at + 8));
                        default -> { }
                    }
                }
                if (Double.isFinite(lat) && Double.isFinite(lon) && !(lat == 0 && lon == 0)) {
                    lonLat = new double[] {lonRef == 'W' ? -lon : lon, latRef == 'S' ? -lat : lat};
                }
            }
            return new Exif(lonLat, orientation);
        }

        /** Three RATIONALs: degrees, minutes, seconds. */
        private static double degrees(ByteBuffer t, int offset) {
            double d = rational(t, offset);
            double m = rational(t, offset + 8);
            double s = rational(t, offset + 16);
            return d + m / 60 + s / 3600;
        }

        private static double rational(ByteBuffer t, int offset) {
            long num = t.getInt(offset) & 0xFFFFFFFFL;
            long den = t.getInt(offset + 4) & 0xFFFFFFFFL;
            return den == 0 ? Double.NaN : (double) num / den;
        }
    }
}
