package vn.landgis.rendering;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The styles under styles/ (the repository directory and its copy on the classpath). */
class ShippedStylesTest {

    private static final Path STYLES = Path.of("styles");
    private static final StyleLibrary LIBRARY = StyleLibrary.fromDirectory(STYLES);

    /** The current land-use codes: rows of reference/land_use_types.csv as code -> [name_vi, color]. */
    static List<String[]> landUseTypes() throws IOException {
        List<String[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("src/main/resources/reference/land_use_types.csv"), StandardCharsets.UTF_8);
        List<String> header = split(lines.getFirst());
        int code = header.indexOf("code");
        int name = header.indexOf("name_vi");
        int color = header.indexOf("color");
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                List<String> f = split(Normalizer.normalize(line, Normalizer.Form.NFC));
                rows.add(new String[]{f.get(code), f.get(name), f.get(color)});
            }
        }
        return rows;
    }

    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        out.add(f.toString());
        return out;
    }

    @Test
    void everyStyleFileParsesFromTheDirectoryAndTheClasspath() throws IOException {
        List<String> files;
        try (Stream<Path> s = Files.list(STYLES)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sld")).map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
        assertThat(files).contains("parcels", "map_sheets", "communes", "districts", "planning_zones", "field_reports_status", "field_reports_heat", "import_findings");
        StyleLibrary classpath = StyleLibrary.fromClasspath("styles");
        for (String f : files) {
            assertThat(LIBRARY.style(f)).as(f).isPresent();
            assertThat(classpath.style(f)).as(f + " on the classpath").isPresent();
            Style s = LIBRARY.style(f).orElseThrow();
            assertThat(s.name()).isEqualTo(f);
            assertThat(s.title()).isNotBlank();
            assertThat(s.abstractText()).isNotBlank();
            assertThat(s.isVisibleAt(1000)).isTrue();
        }
        assertThat(LIBRARY.names()).containsExactlyElementsOf(files);
        assertThat(LIBRARY.style("nope")).isEmpty();
    }

    @Test
    void everyCurrentLandUseCodeHasARuleWithExactlyTheCsvColour() throws IOException {
        Style parcels = LIBRARY.style("parcels").orElseThrow();
        Style planning = LIBRARY.style("planning_zones").orElseThrow();
        List<String[]> types = landUseTypes();
        assertThat(types).hasSizeGreaterThan(40);
        for (String[] t : types) {
            String code = t[0];
            Color expected = Color.decode(t[2]);
            Map<String, Object> attrs = Map.of("land_use_code", code);

            List<Rule> rules = parcels.featureTypeStyles().getFirst().selector(1000).match(attrs);
            assertThat(rules).as(code).hasSize(1);
            Rule r = rules.getFirst();
            assertThat(r.name).isEqualTo(code);
            assertThat(r.title).isEqualTo(code + " – " + t[1]);
            Symbolizer.Polygon p = (Symbolizer.Polygon) r.symbolizers.getFirst();
            assertThat(p.fill().color()).as(code).isEqualTo(expected);

            List<Rule> planned = planning.featureTypeStyles().getFirst().selector(1000).match(attrs);
            assertThat(planned).as(code).hasSize(1);
            Color c = ((Symbolizer.Polygon) planned.getFirst().symbolizers.getFirst()).fill().color();
            assertThat(new Color(c.getRGB() & 0xFFFFFF)).as(code).isEqualTo(expected);
            assertThat(c.getAlpha()).isEqualTo(153); // fill-opacity 0.6
        }
        assertThat(parcels.featureTypeStyles().getFirst().isIndexed()).isTrue();
        List<Rule> unknown = parcels.featureTypeStyles().getFirst().selector(1000).match(Map.of("land_use_code", "XYZ"));
        assertThat(unknown).extracting(r -> r.name).containsExactly("unknown");
    }

    @Test
    void parcelsShowOutlinesBelowOneTo50000AndLabelsAtOneTo2500() {
        Style parcels = LIBRARY.style("parcels").orElseThrow();
        assertThat(parcels.featureTypeStyles()).hasSize(2);
        FeatureTypeStyle second = parcels.featureTypeStyles().get(1);
        assertThat(second.selector(49_999).match(Map.of())).extracting(r -> r.name).containsExactly("outline");
        assertThat(second.selector(50_000).match(Map.of())).isEmpty();
        assertThat(parcels.hasLabelsAt(2500)).isTrue();
        assertThat(parcels.hasLabelsAt(2600)).isFalse();
        assertThat(parcels.propertiesUsed(2500)).containsExactly("land_use_code", "parcel_no");
        // from 1:1 000 the label names every purpose (ONT+CLN); the fill stays the main one's
        assertThat(parcels.propertiesUsed(500)).containsExactly("land_use_code", "land_uses", "parcel_no");
        assertThat(parcels.propertiesUsed(100_000)).containsExactly("land_use_code");
        Symbolizer.Line outline = (Symbolizer.Line) second.rules.getFirst().symbolizers.getFirst();
        assertThat(outline.stroke().width()).isEqualTo(0.5);
    }

    @Test
    void otherStylesReadTheirCatalogAttributes() {
        assertThat(LIBRARY.style("map_sheets").orElseThrow().propertiesUsed(10_000)).containsExactly("sheet_no");
        assertThat(LIBRARY.style("map_sheets").orElseThrow().hasLabelsAt(30_000)).isFalse();
        assertThat(LIBRARY.style("communes").orElseThrow().propertiesUsed(100_000)).containsExactly("name");
        assertThat(LIBRARY.style("communes").orElseThrow().propertiesUsed(200_000)).isEmpty();
        assertThat(LIBRARY.style("districts").orElseThrow().propertiesUsed(500_000)).containsExactly("name");
        assertThat(LIBRARY.style("planning_zones").orElseThrow().propertiesUsed(10_000)).containsExactly("land_use_code", "zone_code");
        assertThat(LIBRARY.style("field_reports_status").orElseThrow().propertiesUsed(1000)).containsExactly("status");
        assertThat(LIBRARY.style("import_findings").orElseThrow().propertiesUsed(1000)).containsExactly("severity");
        assertThat(LIBRARY.style("parcels_land_use_outline").orElseThrow().propertiesUsed(2500)).containsExactly("land_uses", "parcel_no");
        assertThat(LIBRARY.style("parcels_land_use_outline").orElseThrow().isVisibleAt(60_000)).isFalse();
    }
}
