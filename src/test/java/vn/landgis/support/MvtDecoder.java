package vn.landgis.support;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Mapbox vector tile (protobuf, spec 2.1) into layers of features and their properties, for assertions:
 * {@code $id} holds the feature's id when it has one; geometry is not decoded.
 */
public final class MvtDecoder {

    private final byte[] b;
    private int pos;
    private int end;

    private MvtDecoder(byte[] bytes, int from, int to) {
        this.b = bytes;
        this.pos = from;
        this.end = to;
    }

    public static Map<String, List<Map<String, Object>>> decode(byte[] tile) {
        Map<String, List<Map<String, Object>>> layers = new LinkedHashMap<>();
        MvtDecoder r = new MvtDecoder(tile, 0, tile.length);
        while (r.pos < r.end) {
            long key = r.varint();
            if ((key >>> 3) == 3 && (key & 7) == 2) {
                MvtDecoder layer = r.sub();
                layer.layer(layers);
            } else {
                r.skip(key);
            }
        }
        return layers;
    }

    private void layer(Map<String, List<Map<String, Object>>> into) {
        String name = null;
        List<String> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        List<MvtDecoder> features = new ArrayList<>();
        while (pos < end) {
            long key = varint();
            switch ((int) (key >>> 3)) {
                case 1 -> name = string();
                case 2 -> features.add(sub());
                case 3 -> keys.add(string());
                case 4 -> values.add(sub().value());
                default -> skip(key);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (MvtDecoder f : features) {
            Map<String, Object> props = new LinkedHashMap<>();
            while (f.pos < f.end) {
                long key = f.varint();
                if ((key >>> 3) == 1 && (key & 7) == 0) {
                    props.put("$id", f.varint());
                } else if ((key >>> 3) == 2 && (key & 7) == 2) {
                    MvtDecoder tags = f.sub();
                    while (tags.pos < tags.end) {
                        int k = (int) tags.varint();
                        int v = (int) tags.varint();
                        props.put(keys.get(k), values.get(v));
                    }
                } else {
                    f.skip(key);
                }
            }
            out.add(props);
        }
        into.put(name, out);
    }

    private Object value() {
        Object v = null;
        while (pos < end) {
            long key = varint();
            switch ((int) (key >>> 3)) {
                case 1 -> v = string();
                case 2 -> v = (double) ByteBuffer.wrap(b, (pos += 4) - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
                case 3 -> v = ByteBuffer.wrap(b, (pos += 8) - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getDouble();
                case 4, 5 -> v = varint();
                case 6 -> {
                    long z = varint();
                    v = (z >>> 1) ^ -(z & 1);
                }
                case 7 -> v = varint() != 0;
                default -> skip(key);
            }
        }
        return v;
    }

    private long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = b[pos++];
            result |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("malformed varint");
    }

    private MvtDecoder sub() {
        int length = (int) varint();
        MvtDecoder d = new MvtDecoder(b, pos, pos + length);
        pos += length;
        return d;
    }

    private String string() {
        int length = (int) varint();
        String s = new String(b, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    private void skip(long key) {
        switch ((int) (key & 7)) {
            case 0 -> varint();
            case 1 -> pos += 8;
            case 2 -> {
                int length = (int) varint();   // read before pos is taken: "pos += varint()" would lose the varint's bytes
                pos += length;
            }
            case 5 -> pos += 4;
            default -> throw new IllegalArgumentException("wire type " + (key & 7));
        }
    }
}
