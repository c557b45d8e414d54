package vn.landgis.imports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import vn.landgis.geo.SupportedCrs;
import vn.landgis.geo.VietnameseEncoding;

/**
 * A district's import manifest ({@code data-import/manifests/*.json}): what its files do not say or say wrongly:
 * the CRS ({@code srid}), the text encoding of the .dbf, and which of its columns hold our fields
 * ({@code columns}: field → names, tried before the usual names), and whether map sheets found drawn with the wrong
 * central meridian or without the datum shift are to be moved where they belong ({@code fixPlacement}), and the old
 * commune of the features that carry no commune code ({@code commune}: a delivery of one commune), and the land-use
 * code to register for a delivered value that is none ({@code landUseMap}, e.g. {@code "ONT+CLN": "ONT"}), and which
 * layer holds the parcels ({@code layer}: a GeoPackage's table, or the name of one of several files), and whether the
 * file's coordinates have X and Y swapped ({@code swapAxes}: northing first, as Vietnamese surveying writes X), and
 * whether the delivery replaces the whole of every commune it holds ({@code replaceCommunes}: a new survey of the
 * communes, whose sheets it does not deliver are retired too) rather than only the map sheets it holds (the default:
 * a delivery of some sheets leaves the commune's other sheets as they are), and whether the holder names the delivery
 * carries become the new versions' parties ({@code holders}: false by default, the register's holders coming from
 * registration; true records the map's names, marked as declared by the batch), and which levels of FAMIS map sheets
 * (DGN level numbers, DXF layer names) hold the parcels' boundary lines and labels ({@code boundaryLevels},
 * {@code labelLevels}: {@link CadLevels}; every level by default). Every entry is optional.
 */
record Manifest(Integer srid, VietnameseEncoding encoding, Map<String, List<String>> columns, boolean fixPlacement, String commune,
                Map<String, String> landUseMap, String layer, boolean swapAxes, boolean replaceCommunes, boolean holders,
                CadLevels cadLevels) {

    static final Manifest NONE = new Manifest(null, null, Map.of(), false, null, Map.of(), null, false, false, false, CadLevels.ALL);

    /**
     * What of the manifest changes how a delivery's file is read, in a form that does not depend on the order the
     * manifest wrote it in: empty for no manifest (the batch's checksum is then the file's alone, as before manifests
     * counted), else a text the import appends to the file's checksum, so that the same file delivered again with
     * another manifest (a column mapping, a commune, a land-use decision, a placement fix corrected) is read, not
     * refused as already published.
     */
    String fingerprint() {
        if (equals(NONE)) {
            return "";
        }
        StringBuilder out = new StringBuilder("manifest");
        out.append("|srid=").append(srid).append("|encoding=").append(encoding).append("|fixPlacement=").append(fixPlacement)
                .append("|commune=").append(commune).append("|layer=").append(layer).append("|swapAxes=").append(swapAxes);
        if (replaceCommunes) {
            out.append("|replaceCommunes");   // only when set: the fingerprints of earlier manifests stay what they were
        }
        if (holders) {
            out.append("|holders");   // only when set, as replaceCommunes
        }
        if (!cadLevels.all()) {
            out.append("|boundaryLevels=").append(new java.util.TreeSet<>(cadLevels.boundaries()))
                    .append("|labelLevels=").append(new java.util.TreeSet<>(cadLevels.labels()));
        }
        new java.util.TreeMap<>(columns).forEach((field, names) -> out.append("|column ").append(field).append('=').append(names));
        new java.util.TreeMap<>(landUseMap).forEach((value, code) -> out.append("|land use ").append(value).append('=').append(code));
        try {
            byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "+m" + java.util.HexFormat.of().formatHex(sha, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A delivered land-use value as the manifest's {@code landUseMap} keys are compared: upper case, no spaces. */
    static String landUseKey(String raw) {
        return raw.toUpperCase(java.util.Locale.ROOT).replaceAll("\\s+", "");
    }

    static Manifest read(Path file) throws IOException {
        try {
            return readChecked(file);
        } catch (RuntimeException e) {
            // a value of the wrong kind ("fixPlacement": "yes" is caught above; an object where a text belongs, ...)
            throw new IOException("manifest " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static Manifest readChecked(Path file) throws IOException {
        JsonNode m = parse(file);
        if (!m.isObject()) {
            throw new IOException("manifest " + file.getFileName() + " is not a JSON object ({...})");
        }
        if ("plan".equals(m.path("kind").asString(""))) {
            throw new IOException("manifest " + file.getFileName() + " is of kind \"plan\": import it with POST /api/imports/plans or "
                    + "`landgis import --manifest` without --district");
        }
        unknownEntries(m, file);
        Integer srid = srid(m);
        VietnameseEncoding encoding = encoding(m);
        Map<String, List<String>> columns = new HashMap<>();
        for (var e : m.path("columns").properties()) {
            // a list of names, or one name
            List<String> names = new ArrayList<>();
            if (e.getValue().isString()) {
                names.add(e.getValue().asString());
            } else if (e.getValue().isArray()) {
                e.getValue().forEach(n -> names.add(n.asString()));
            } else {
                throw new IOException("manifest: columns." + e.getKey() + " is a column's name or a list of names");
            }
            columns.put(e.getKey(), List.copyOf(names));
        }
        for (String field : columns.keySet()) {
            if (!ColumnMapping.defaults().aliases().containsKey(field)) {
                throw new IOException("manifest: unknown field '" + field + "' in columns; known: " + ColumnMapping.defaults().aliases().keySet());
            }
        }
        if (m.has("fixPlacement") && !m.get("fixPlacement").isBoolean()) {
            throw new IOException("manifest: fixPlacement is true or false");
        }
        if (m.has("swapAxes") && !m.get("swapAxes").isBoolean()) {
            throw new IOException("manifest: swapAxes is true or false");
        }
        if (m.has("replaceCommunes") && !m.get("replaceCommunes").isBoolean()) {
            throw new IOException("manifest: replaceCommunes is true or false");
        }
        if (m.has("holders") && !m.get("holders").isBoolean()) {
            throw new IOException("manifest: holders is true or false");
        }
        String commune = null;
        if (m.hasNonNull("commune")) {
            // a delivery of one commune whose features carry no commune code (the file is the commune's)
            commune = m.get("commune").asString("");
            if (!commune.matches("[0-9]{5}")) {
                throw new IOException("manifest: commune is the old commune's code, 5 digits (e.g. \"25456\")");
            }
        }
        // the land-use code the district decided for a value that is none (a parcel of several purposes, "ONT+CLN",
        // held under one code by the register): a decision the import reports for every parcel it applies to
        Map<String, String> landUseMap = new HashMap<>();
        for (var e : m.path("landUseMap").properties()) {
            String code = e.getValue().asString("").strip().toUpperCase(java.util.Locale.ROOT);
            if (!code.matches("[A-Z]{2,4}")) {
                throw new IOException("manifest: landUseMap gives '" + e.getKey() + "' the code '" + e.getValue().asString("") + "'; a land-use code is 2-4 letters (e.g. ONT)");
            }
            landUseMap.put(landUseKey(e.getKey()), code);
        }
        // which of the delivery's layers holds the parcels: a GeoPackage's table, or a file's name without its extension
        String layer = m.hasNonNull("layer") ? java.text.Normalizer.normalize(m.get("layer").asString("").strip(), java.text.Normalizer.Form.NFC) : null;
        if (layer != null && (layer.isEmpty() || layer.length() > 200 || layer.contains("/") || layer.contains("\\"))) {
            throw new IOException("manifest: layer is a layer's or a file's name (without folder or extension)");
        }
        return new Manifest(srid, encoding, Map.copyOf(columns), m.path("fixPlacement").asBoolean(false), commune, Map.copyOf(landUseMap), layer,
                m.path("swapAxes").asBoolean(false), m.path("replaceCommunes").asBoolean(false), m.path("holders").asBoolean(false),
                new CadLevels(levels(m, "boundaryLevels"), levels(m, "labelLevels")));
    }

    /** A list of FAMIS levels: DGN level numbers (0-63) or DXF layer names, a number or a name alone for one. */
    private static java.util.Set<String> levels(JsonNode m, String entry) throws IOException {
        JsonNode v = m.path(entry);
        if (v.isMissingNode() || v.isNull()) {
            return java.util.Set.of();
        }
        List<JsonNode> items = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(items::add);
        } else {
            items.add(v);
        }
        java.util.Set<String> out = new java.util.HashSet<>();
        for (JsonNode item : items) {
            String level = item.isIntegralNumber() ? String.valueOf(item.asLong()) : item.isString() ? item.asString().strip() : "";
            if (level.isEmpty() || level.length() > 100 || (item.isIntegralNumber() && (item.asLong() < 0 || item.asLong() > 63))) {
                throw new IOException("manifest: " + entry + " lists DGN level numbers (0-63) or DXF layer names, e.g. [10] or [\"RANHTHUA\"]");
            }
            out.add(level);
        }
        if (out.isEmpty() || out.size() > 64) {
            throw new IOException("manifest: " + entry + " lists 1 to 64 levels");
        }
        return out;
    }

    /** The column mapping: the manifest's names first, then the usual ones. */
    ColumnMapping mapping() {
        Map<String, List<String>> merged = new HashMap<>();
        ColumnMapping.defaults().aliases().forEach((field, names) -> {
            List<String> all = new ArrayList<>(columns.getOrDefault(field, List.of()));
            all.addAll(names);
            merged.put(field, List.copyOf(all));
        });
        return new ColumnMapping(Map.copyOf(merged));
    }

    /** The entries a cadastre manifest may hold ({@code description} and {@code district} say what it is for). */
    static final java.util.Set<String> ENTRIES = java.util.Set.of("description", "name", "note", "notes", "comment", "version", "district", "kind", "srid", "encoding", "columns", "fixPlacement",
            "swapAxes", "replaceCommunes", "holders", "commune", "landUseMap", "layer", "boundaryLevels", "labelLevels");

    /**
     * An entry the manifest does not know is refused, naming the one it most likely meant: misspelt ("boundaryLevel",
     * "fixplacement", "Commune"), it was ignored without a word and the file read as if it were not there. Entries
     * beginning with "_" or "$" are comments.
     */
    private static void unknownEntries(JsonNode m, Path file) throws IOException {
        unknownEntries(m, ENTRIES, "", file);
    }

    /** The entries a manifest says for itself (what it is, for whom), known to every kind of manifest. */
    static final java.util.Set<String> INFORMATIONAL = java.util.Set.of("description", "name", "note", "notes", "comment", "version");

    /** As {@link #unknownEntries(JsonNode, Path)} for an object of entries {@code known}, {@code prefix} naming where it is ("plan."). */
    static void unknownEntries(JsonNode m, java.util.Set<String> known, String prefix, Path file) throws IOException {
        final java.util.Set<String> ENTRIES = known;
        List<String> unknown = new ArrayList<>();
        for (String key : m.propertyNames()) {
            if (!ENTRIES.contains(key) && !key.startsWith("_") && !key.startsWith("$")) {
                unknown.add(key);
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        List<String> meant = new ArrayList<>();
        for (String key : unknown) {
            String k = key.toLowerCase(java.util.Locale.ROOT);
            ENTRIES.stream().filter(e -> distance(e.toLowerCase(java.util.Locale.ROOT), k) <= 2 || e.equalsIgnoreCase(key + "s"))
                    .min(java.util.Comparator.comparingInt(e -> distance(e.toLowerCase(java.util.Locale.ROOT), k)))
                    .ifPresent(e -> meant.add("'" + prefix + key + "' → '" + prefix + e + "'"));
        }
        unknown.replaceAll(k -> prefix + k);
        throw new IOException("manifest " + file.getFileName() + ": mục không biết / unknown entries " + unknown
                + (meant.isEmpty() ? "" : "; có phải / did you mean " + String.join(", ", meant)) + " (known: " + new java.util.TreeSet<>(ENTRIES) + ")");
    }

    /** Levenshtein distance, for the names of a few entries. */
    private static int distance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    /** A manifest file's JSON (a byte-order mark, as Notepad writes it, skipped), or an IOException that says the file is not JSON. */
    static JsonNode parse(Path file) throws IOException {
        try {
            String text = Files.readString(file);
            return new ObjectMapper().readTree(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (tools.jackson.core.JacksonException e) {
            throw new IOException("manifest " + file.getFileName() + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The manifest's {@code srid}, if any, one landgis supports. */
    static Integer srid(JsonNode m) throws IOException {
        if (!m.hasNonNull("srid")) {
            return null;
        }
        // 9209, "9209", "EPSG:9209" or an OGC URN: as the CRS parameters of the OGC services take it
        JsonNode value = m.get("srid");
        var crs = value.isIntegralNumber() ? SupportedCrs.bySrid(value.asInt()) : value.isString() ? SupportedCrs.parse(value.asString()) : java.util.Optional.<SupportedCrs>empty();
        if (crs.isEmpty()) {
            throw new IOException("manifest: unsupported srid " + value + " (one of " + java.util.Arrays.stream(SupportedCrs.values()).map(c -> String.valueOf(c.srid()))
                    .collect(java.util.stream.Collectors.joining(", ")) + ")");
        }
        return crs.get().srid();
    }

    /** The manifest's text {@code encoding} of the delivery, if any. */
    static VietnameseEncoding encoding(JsonNode m) throws IOException {
        if (!m.hasNonNull("encoding")) {
            return null;
        }
        // as people write them: "UTF-8", "utf8", "TCVN3", "ABC", "VNI", "VNI-Windows", "CP1258", "windows-1258"
        String name = m.get("encoding").asString().toUpperCase(java.util.Locale.ROOT).replaceAll("[\\s_-]", "");
        switch (name) {
            case "UTF8" -> {
                return VietnameseEncoding.UTF8;
            }
            case "TCVN3", "TCVN", "ABC", "VN3", "TCVN5712" -> {
                return VietnameseEncoding.TCVN3;
            }
            case "VNI", "VNIWINDOWS" -> {
                return VietnameseEncoding.VNI_WINDOWS;
            }
            case "WINDOWS1258", "CP1258", "1258" -> {
                return VietnameseEncoding.WINDOWS_1258;
            }
            default -> { }
        }
        try {
            return VietnameseEncoding.valueOf(m.get("encoding").asString().toUpperCase().replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IOException("manifest: unknown encoding " + m.get("encoding").asString() + "; one of UTF8, TCVN3, VNI_WINDOWS, WINDOWS_1258");
        }
    }
}
