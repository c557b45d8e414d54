package vn.landgis.imports;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which levels of a FAMIS map sheet hold the parcels' boundary lines and their labels: MicroStation DGN level numbers
 * (0-63) or DXF layer names, as the manifest's {@code boundaryLevels} and {@code labelLevels} give them. A district's
 * sheets draw more than parcels on their own levels (houses, roads' edges, rivers, the sheet's frame and grid, street
 * names); polygonised with the boundaries, a house would cut a hole in its parcel. Empty: every level.
 */
record CadLevels(Set<String> boundaries, Set<String> labels) {

    static final CadLevels ALL = new CadLevels(Set.of(), Set.of());

    CadLevels {
        boundaries = boundaries.stream().map(CadLevels::key).collect(Collectors.toUnmodifiableSet());
        labels = labels.stream().map(CadLevels::key).collect(Collectors.toUnmodifiableSet());
    }

    /** A level as compared: "10", "RanhThua" and "ranhthua " are the same level name; "010" is level 10. */
    static String key(String level) {
        String s = Normalizer.normalize(level == null ? "" : level, Normalizer.Form.NFC).strip().toLowerCase(Locale.ROOT);
        return s.matches("\\d{1,6}") ? String.valueOf(Integer.parseInt(s)) : s;
    }

    boolean boundary(String level) {
        return boundaries.isEmpty() || boundaries.contains(key(level));
    }

    boolean label(String level) {
        return labels.isEmpty() || labels.contains(key(level));
    }

    boolean all() {
        return boundaries.isEmpty() && labels.isEmpty();
    }
}
