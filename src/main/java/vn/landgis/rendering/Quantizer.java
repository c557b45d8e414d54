package vn.landgis.rendering;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reduces ARGB pixels to a palette of at most 256 colours for PNG8. Deterministic, linear-ish in the pixel count.
 *
 * <ul>
 *   <li>All fully transparent pixels become one palette entry (transparent black).</li>
 *   <li>At most 256 distinct colours: the palette is exact.</li>
 *   <li>Else the most frequent colours (each at least 1/1000 of the pixels, at most 128 of them: the flat fills of
 *       a map) keep exact entries, and a median cut (splitting the box with the largest range^2 x population
 *       at the median of its widest channel) spends the rest of the palette on the other colours (mostly
 *       antialiased edges), each of which takes its box's population-weighted average.</li>
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
        // every distinct colour -> its index in the (unsorted) palette
        IntMap mapping = new IntMap(distinct * 2);
        int[] palette;
        if (distinct <= 256) {
            palette = colours.clone();
            for (int i = 0; i < distinct; i++) {
                mapping.put(colours[i], i);
            }
        } else {
            palette = reduce(colours, freq, n, mapping);
        }
        // sort the palette (translucent entries first) and renumber
        int[] order = sortPalette(palette);
        int[] sorted = new int[palette.length];
        int[] newIndex = new int[palette.length];
        for (int i = 0; i < order.length; i++) {
            sorted[i] = palette[order[i]];
            newIndex[order[i]] = i;
        }
        byte[] indices = new byte[n];
        int lastColour = n > 0 ? px[0] : 0;
        int lastIndex = n > 0 ? newIndex[mapping.get(lastColour)] : 0;
        for (int i = 0; i < n; i++) {
            int c = px[i];
            if (c != lastColour) {
                lastColour = c;
                lastIndex = newIndex[mapping.get(c)];
            }
            indices[i] = (byte) lastIndex;
        }
        return new Result(sorted, sorted.length, indices);
    }

    /** The positions of the palette entries ordered by alpha, then by colour value. */
    private static int[] sortPalette(int[] palette) {
        long[] keys = new long[palette.length];
        for (int i = 0; i < palette.length; i++) {
            int c = palette[i];
            keys[i] = ((long) (c >>> 24) << 40) | ((long) (c & 0xFFFFFF) << 9) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[palette.length];
        for (int i = 0; i < keys.length; i++) {
            order[i] = (int) (keys[i] & 0x1FF);
        }
        return order;
    }

    /**
     * The palette for more than 256 colours; fills {@code mapping} (colour -> index into the returned, unsorted
     * palette) for every colour.
     */
    private static int[] reduce(int[] colours, int[] freq, int pixels, IntMap mapping) {
        int n = colours.length;
        // by frequency (desc), then position, for determinism
        long[] byFreq = new long[n];
        for (int i = 0; i < n; i++) {
            byFreq[i] = ((long) (Integer.MAX_VALUE - freq[i]) << 32) | i;
        }
        Arrays.sort(byFreq);
        int[] palette = new int[256];
        int size = 0;
        boolean[] reserved = new boolean[n];
        int threshold = Math.max(1, pixels / 1000);
        for (int i = 0; i < n; i++) {
            if (colours[i] == 0) { // full transparency always keeps its own exact entry
                mapping.put(0, size);
                palette[size++] = 0;
                reserved[i] = true;
            }
        }
        for (long k : byFreq) {
            int i = (int) k;
            if (reserved[i]) {
                continue;
            }
            if (size >= 128 || freq[i] < threshold) {
                break;
            }
            mapping.put(colours[i], size);
            palette[size++] = colours[i];
            reserved[i] = true;
        }
        int[] idx = new int[n - size];
        int rest = 0;
        for (int i = 0; i < n; i++) {
            if (!reserved[i]) {
                idx[rest++] = i;
            }
        }
        size = medianCut(colours, freq, idx, 256 - size, palette, size, mapping);
        return Arrays.copyOf(palette, size);
    }

    /** One median-cut box: the entries idx[lo..hi), their widest channel and how much splitting it is worth. */
    private static final class Box {
        final int lo;
        final int hi;
        int channel;
        int min;
        int max;
        /** range^2 x population: a stand-in for the squared error the box causes; 0 when it cannot split. */
        double priority;

        Box(int[] colours, int[] freq, int[] idx, int lo, int hi) {
            this.lo = lo;
            this.hi = hi;
            int[] mins = {255, 255, 255, 255};
            int[] maxs = {0, 0, 0, 0};
            long population = 0;
            for (int i = lo; i < hi; i++) {
                int c = colours[idx[i]];
                population += freq[idx[i]];
                for (int ch = 0; ch < 4; ch++) {
                    int v = (c >>> (ch * 8)) & 0xFF;
                    if (v < mins[ch]) {
                        mins[ch] = v;
                    }
                    if (v > maxs[ch]) {
                        maxs[ch] = v;
                    }
                }
            }
            int range = 0;
            for (int ch = 0; ch < 4; ch++) {
                int r = (maxs[ch] - mins[ch]) * (ch == 3 ? 2 : 1); // alpha errors show more than colour errors
                if (r > range) {
                    range = r;
                    channel = ch;
                }
            }
            min = mins[channel];
            max = maxs[channel];
            priority = hi - lo < 2 || range == 0 ? 0 : (double) range * range * population;
        }
    }

    /** Median cut of colours[idx[..]] into at most {@code boxes} entries appended to the palette; returns its size. */
    private static int medianCut(int[] colours, int[] freq, int[] idx, int boxes, int[] palette, int size, IntMap mapping) {
        if (idx.length == 0 || boxes <= 0) {
            return size;
        }
        List<Box> list = new ArrayList<>();
        list.add(new Box(colours, freq, idx, 0, idx.length));
        int[] scratch = new int[idx.length];
        int[] histogram = new int[256];
        while (list.size() < boxes) {
            Box best = null;
            int bestAt = -1;
            for (int b = 0; b < list.size(); b++) {
                Box x = list.get(b);
                if (x.priority > 0 && (best == null || x.priority > best.priority)) {
                    best = x;
                    bestAt = b;
                }
            }
            if (best == null) {
                break;
            }
            // split the widest channel at the value that halves the box's colours best (so that boxes halve and
            // the whole cut stays O(n log n)); a counting partition, no sort; both halves non-empty as min < max
            int shift = best.channel * 8;
            int m = best.hi - best.lo;
            java.util.Arrays.fill(histogram, 0);
            for (int i = best.lo; i < best.hi; i++) {
                histogram[(colours[idx[i]] >>> shift) & 0xFF]++;
            }
            int below = histogram[best.min];
            int bestCut = best.min + 1;
            int bestDiff = Integer.MAX_VALUE;
            for (int v = best.min + 1; v <= best.max; v++) { // colours with value < v go low
                int diff = Math.abs(2 * below - m);
                if (below > 0 && below < m && diff < bestDiff) {
                    bestDiff = diff;
                    bestCut = v;
                }
                below += histogram[v];
            }
            int low = 0;
            int high = 0;
            for (int i = best.lo; i < best.hi; i++) {
                int e = idx[i];
                if (((colours[e] >>> shift) & 0xFF) < bestCut) {
                    idx[best.lo + low++] = e;
                } else {
                    scratch[high++] = e;
                }
            }
            System.arraycopy(scratch, 0, idx, best.lo + low, high);
            int split = low;
            list.set(bestAt, new Box(colours, freq, idx, best.lo, best.lo + split));
            list.add(new Box(colours, freq, idx, best.lo + split, best.hi));
        }
        for (Box b : list) {
            long a = 0;
            long r = 0;
            long g = 0;
            long bl = 0;
            long w = 0;
            for (int i = b.lo; i < b.hi; i++) {
                int c = colours[idx[i]];
                long f = freq[idx[i]];
                a += ((c >>> 24) & 0xFF) * f;
                r += ((c >>> 16) & 0xFF) * f;
                g += ((c >>> 8) & 0xFF) * f;
                bl += (c & 0xFF) * f;
                w += f;
            }
            int ca = (int) ((a + w / 2) / w);
            int avg = ca == 0 ? 0 : (ca << 24) | (int) ((r + w / 2) / w) << 16 | (int) ((g + w / 2) / w) << 8 | (int) ((bl + w / 2) / w);
            int at = size;
            for (int k = 0; k < size; k++) {
                if (palette[k] == avg) {
                    at = k;
                    break;
                }
            }
            if (at == size) {
                palette[size++] = avg;
            }
            for (int i = b.lo; i < b.hi; i++) {
                mapping.put(colours[idx[i]], at);
            }
        }
        return size;
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
            int h = key; // murmur3 finaliser: colours differ in few bits, linear probing needs them spread
            h ^= h >>> 16;
            h *= 0x85EBCA6B;
            h ^= h >>> 13;
            h *= 0xC2B2AE35;
            h ^= h >>> 16;
            int mask = keys.length - 1;
            int i = h & mask;
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
