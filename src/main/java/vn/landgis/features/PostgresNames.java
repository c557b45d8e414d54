package vn.landgis.features;

/**
 * The one place identifiers become SQL text. Only names that the {@link LayerCatalog} found in PostgreSQL's
 * catalog reach here; they are still quoted, so a name can never be read as SQL.
 */
public final class PostgresNames {

    private PostgresNames() {
    }

    public static String quote(String identifier) {
        if (identifier == null || identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad identifier");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code schema.name} as a quoted qualified name. */
    public static String relation(String qualified) {
        int dot = qualified.indexOf('.');
        return quote(qualified.substring(0, dot)) + "." + quote(qualified.substring(dot + 1));
    }
}
