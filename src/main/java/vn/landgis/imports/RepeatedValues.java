package vn.landgis.imports;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A column's values as a district repeats them on every parcel (a handful of communes, a few dozen land uses), each
 * read once: the reading is kept for the next parcel (bounded, for hostile files), and the values read as something
 * else are counted, for one note each after the file. Not thread-safe: the reading thread's.
 */
final class RepeatedValues {

    private static final int MAX_KEPT = 10_000;

    private final UnaryOperator<String> reading;
    private final Map<String, String> seen = new HashMap<>();
    /** Values read as another: as delivered → {what it was read as, parcels}. */
    private final Map<String, Object[]> changed = new LinkedHashMap<>();

    RepeatedValues(UnaryOperator<String> reading) {
        this.reading = reading;
    }

    /** The value as read, counted when it is another. */
    String read(String delivered) {
        String known = peek(delivered);
        if (known != null && !known.equals(delivered)) {
            Object[] n = changed.computeIfAbsent(delivered, d -> new Object[] {null, 0});
            n[0] = known;
            n[1] = (Integer) n[1] + 1;
        }
        return known;
    }

    /** The value as read, not counted; null for null. */
    String peek(String delivered) {
        if (delivered == null) {
            return null;
        }
        String known = seen.get(delivered);
        if (known == null) {
            known = reading.apply(delivered);
            if (seen.size() < MAX_KEPT) {
                seen.put(delivered, known);
            }
        }
        return known;
    }

    /** The values read as another: as delivered → {what it was read as, parcels}. */
    Map<String, Object[]> changed() {
        return changed;
    }
}
