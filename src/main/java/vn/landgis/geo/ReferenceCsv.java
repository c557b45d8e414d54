package vn.landgis.geo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the reference tables under {@code classpath:reference/} (land-use types, administrative units, commune
 * succession): UTF-8 CSV with a header line, RFC 4180 quoting. Text comes back in Unicode NFC.
 */
public final class ReferenceCsv {

    private ReferenceCsv() {
    }

    /** The data rows (header skipped) of {@code reference/<name>}. */
    public static List<String[]> read(String name) {
        try (InputStream in = ReferenceCsv.class.getResourceAsStream("/reference/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource reference/" + name);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String[]> rows = new ArrayList<>();
            reader.readLine();
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank()) {
                    rows.add(split(Normalizer.normalize(line, Normalizer.Form.NFC)));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String[] split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    f.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                fields.add(f.toString());
                f.setLength(0);
            } else {
                f.append(ch);
            }
        }
        fields.add(f.toString());
        return fields.toArray(String[]::new);
    }
}
