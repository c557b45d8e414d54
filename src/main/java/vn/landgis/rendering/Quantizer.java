package vn.landgis.rendering;

import java.util.Arrays;

/**
 * Reduces ARGB pixels to a palette of at most 256 colours for PNG8. Deterministic.
 *
 * <ul>
 *   <li>All fully transparent pixels become one palette entry (transparent black).</li>
 *   <li>At most 256 distinct colours: the palette is exact.</li>
 *   <li>Else the most frequent colours (each at least 1/1000 of the pixels, at most 128 of them: the flat fills of
 *       a map) keep exact entries and median cut (population-weighted, splitting the box with the widest channel
 *       range) spends the rest of the palette on the others (mostly antialiased edges); every colour then takes the
 *       nearest entry.</li>
 * </ul>
 * The palette is ordered by alpha (translucent entries first, so the tRNS chunk stays short), then by value.
 */
final class Quantizer {

    record Result(int[] palette, int size, byte[] indices) {
    }

    private Quantizer() {
    }

    static Result quantize(int[] argb, int offset, int stride, int width, int height) {
        int n = width * height;
        int[] px = new int[n];
        for (int y = 0; y < height; y++) {
            int base = offset + y * stride;
            for (int x = 0; x < width; x++) {
                int c = argb[base + x];
                px[y * width + x] = (c >>> 24) == 0 ? 0 : c;
            }
        }
        IntMap counts = new IntMap(1024);
        for (int c : px) {
            counts.increment(c);
        }
        int distinct = counts.size;
        int[] colours = new int[distinct];
        int[] freq = new int[distinct];
        counts.entries(colours, freq);
        int[] palette;
        if (distinct <= 256) {
            palette = colours.clone();
        } else {
            palette = reduce(colours, freq, n);
        }
        palette = sortPalette(palette);
        IntMap indexOf = new IntMap(palette.length * 2);
        for (int i = 0; i < palette.length; i++) {
            indexOf.put(palette[i], i);
        }
        // every distinct colour -> its palette index
        IntMap mapping = new IntMap(distinct * 2);
        for (int c : colours) {
            int exact = indexOf.get(c);
            mapping.put(c, exact >= 0 ? exact : nearest(palette, c));
        }
        byte[] indices = new byte[n];
        int lastColour = px.length > 0 ? px[0] : 0;
        int lastIndex = mapping.get(lastColour);
        for (int i = 0; i < n; i++) {
            int c = px[i];
            if (c != lastColour) {
                lastColour = c;
                lastIndex = mapping.get(c);
            }
            indices[i] = (byte) lastIndex;
        }
        return new Result(palette, palette.length, indices);
    }

    private static int[] sortPalette(int[] palette) {
        long[] keys = new long[palette.length];
        for (int i = 0; i < palette.length; i++) {
            int c = palette[i];
            keys[i] = ((long) (c >>> 24) << 32) | (c & 0xFFFFFFL);
        }
        Arrays.sort(keys);
        int[] out = new int[palette.length];
        for (int i = 0; i < keys.length; i++) {
            out[i] = (int) ((keys[i] >>> 32) << 24) | (int) (keys[i] & 0xFFFFFF);
        }
        return out;
    }

    private static int[] reduce(int[] colours, int[] freq, int pixels) {
        // order by frequency (desc), then value, for determinism
        Integer[] order = new Integer[colours.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> freq[a] != freq[b] ? Integer.compare(freq[b], freq[a]) : Integer.compare(colours[a], colours[b]));
        int[] palette = new int[256];
        int size = 0;
        boolean[] reserved = new boolean[colours.length];
        int threshold = Math.max(1, pixels / 1000);
        for (int i = 0; i < colours.length; i++) {
            if (colours[i] == 0) { // full transparency always keeps its own exact entry
                palette[size++] = 0;
                reserved[i] = true;
            }
        }
        for (Integer i : order) {
            if (reserved[i]) {
                continue;
            }
            if (size >= 128 || freq[i] < threshold) {
                break;
            }
            palette[size++] = colours[i];
            reserved[i] = true;
        }
        // the remaining colours go through median cut
        int rest = colours.length - size;
        int[] rc = new int[rest];
        int[] rf = new int[rest];
        for (int i = 0, j = 0; i < colours.length; i++) {
            if (!reserved[i]) {
                rc[j] = colours[i];
                rf[j] = freq[i];
                j++;
            }
        }
        int[] cut = medianCut(rc, rf, 256 - size);
        for (int c : cut) {
            boolean dup = false;
            for (int k = 0; k < size; k++) {
                if (palette[k] == c) {
                    dup = true;
                    break;
                }
            }
            if (!dup) {
                palette[size++] = c;
            }
        }
        return Arrays.copyOf(palette, size);
    }

    /** Median cut of (colours, frequencies) into at most {@code boxes} averaged colours. */
    private static int[] medianCut(int[] colours, int[] freq, int boxes) {
        if (colours.length == 0 || boxes <= 0) {
            return new int[0];
        }
        int[] idx = new int[colours.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        int[] lo = new int[boxes];
        int[] hi = new int[boxes];
        int count = 1;
        lo[0] = 0;
        hi[0] = idx.length;
        while (count < boxes) {
            int best = -1;
            int bestRange = 0;
            int bestChannel = 0;
            for (int b = 0; b < count; b++) {
                if (hi[b] - lo[b] < 2) {
                    continue;
                }
                for (int ch = 0; ch < 4; ch++) {
                    int min = 255;
                    int max = 0;
                    for (int i = lo[b]; i < hi[b]; i++) {
                        int v = (colours[idx[i]] >>> (ch * 8)) & 0xFF;
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                    if (max - min > bestRange) {
                        bestRange = max - min;
                        best = b;
                        bestChannel = ch;
                    }
                }
            }
            if (best < 0) {
                break;
            }
            int shift = bestChannel * 8;
            int from = lo[best];
            int to = hi[best];
            Integer[] slice = new Integer[to - from];
            for (int i = from; i < to; i++) {
                slice[i - from] = idx[i];
            }
            Arrays.sort(slice, (a, b) -> {
                int va = (colours[a] >>> shift) & 0xFF;
                int vb = (colours[b] >>> shift) & 0xFF;
                return va != vb ? Integer.compare(va, vb) : Integer.compare(colours[a], colours[b]);
            });
            long total = 0;
            for (Integer i : slice) {
                total += freq[i];
            }
            long acc = 0;
            int split = 1;
            for (int i = 0; i < slice.length - 1; i++) {
                acc += freq[slice[i]];
                split = i + 1;
                if (acc * 2 >= total) {
                    break;
                }
            }
            for (int i = 0; i < slice.length; i++) {
                idx[from + i] = slice[i];
            }
            lo[count] = from + split;
            hi[count] = to;
            hi[best] = from + split;
            count++;
        }
        int[] out = new int[count];
        for (int b = 0; b < count; b++) {
            long a = 0, r = 0, g = 0, bl = 0, w = 0;
            for (int i = lo[b]; i < hi[b]; i++) {
                int c = colours[idx[i]];
                long f = freq[idx[i]];
                a += ((c >>> 24) & 0xFF) * f;
                r += ((c >>> 16) & 0xFF) * f;
                g += ((c >>> 8) & 0xFF) * f;
                bl += (c & 0xFF) * f;
                w += f;
            }
            int ca = (int) ((a + w / 2) / w);
            out[b] = ca == 0 ? 0 : (ca << 24) | (int) ((r + w / 2) / w) << 16 | (int) ((g + w / 2) / w) << 8 | (int) ((bl + w / 2) / w);
        }
        return out;
    }

    private static int nearest(int[] palette, int c) {
        int a = (c >>> 24) & 0xFF;
        int r = (c >>> 16) & 0xFF;
        int g = (c >>> 8) & 0xFF;
        int b = c & 0xFF;
        int best = 0;
        long bestD = Long.MAX_VALUE;
        for (int i = 0; i < palette.length; i++) {
            int p = palette[i];
            int da = a - ((p >>> 24) & 0xFF);
            int dr = r - ((p >>> 16) & 0xFF);
            int dg = g - ((p >>> 8) & 0xFF);
            int db = b - (p & 0xFF);
            long d = 2L * da * da + (long) dr * dr + (long) dg * dg + (long) db * db;
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    /** Open-addressing int -> int map (values >= 0; get answers -1 when absent). */
    private static final class IntMap {
        private int[] keys;
        private int[] values;
        private boolean[] used;
        int size;

        IntMap(int expected) {
            int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
            keys = new int[cap];
            values = new int[cap];
            used = new boolean[cap];
        }

        private int slot(int key) {
            int h = key * 0x9E3779B9;
            int mask = keys.length - 1;
            int i = (h ^ (h >>> 16)) & mask;
            while (used[i] && keys[i] != key) {
                i = (i + 1) & mask;
            }
            return i;
        }

        void increment(int key) {
            int i = slot(key);
            if (used[i]) {
                values[i]++;
                return;
            }
            used[i] = true;
            keys[i] = key;
            values[i] = 1;
            if (++size * 2 > keys.length) {
                grow();
            }
        }

        void put(int key, int value) {
            int i = slot(key);
            if (!used[i]) {
                used[i] = true;
                keys[i] = key;
                if (++size * 2 > keys.length) {
                    values[i] = value;
                    grow();
                    return;
                }
            }
            values[i] = value;
        }

        int get(int key) {
            int i = slot(key);
            return used[i] ? values[i] : -1;
        }

        void entries(int[] k, int[] v) {
            int j = 0;
            for (int i = 0; i < keys.length; i++) {
                if (used[i]) {
                    k[j] = keys[i];
                    v[j] = values[i];
                    j++;
                }
            }
        }

        private void grow() {
            int[] ok = keys;
            int[] ov = values;
            boolean[] ou = used;
            keys = new int[ok.length * 2];
            values = new int[ok.length * 2];
            used = new boolean[ok.length * 2];
            for (int i = 0; i < ok.length; i++) {
                if (ou[i]) {
                    int s = slot(ok[i]);
                    used[s] = true;
                    keys[s] = ok[i];
                    values[s] = ov[i];
                }
            }
        }
    }
}
