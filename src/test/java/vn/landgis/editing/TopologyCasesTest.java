package vn.landgis.editing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.io.WKTReader;

/** The topology rules of editing on cases kept as data ({@code editing/topology-cases.txt}): WKT in, answer out. */
class TopologyCasesTest {

    static final GeometryFactory FACTORY = new GeometryFactory(new PrecisionModel(), 9210);
    static final CoverageRules RULES = new CoverageRules(new EditingProperties(null, null, null, null), FACTORY);

    static Stream<Arguments> cases() throws IOException {
        try (InputStream in = TopologyCasesTest.class.getResourceAsStream("/editing/topology-cases.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> Arguments.of((Object) Arrays.stream(l.split(" \\| ")).map(String::strip).toArray(String[]::new))).toList().stream();
        }
    }

    static Geometry wkt(String text) {
        try {
            Geometry g = new WKTReader(FACTORY).read(text);
            g.setSRID(9210);
            return g;
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static Version neighbour(Geometry g) {
        return new Version(1, 1, "27685", 1, 1, "ONT", null, null, null, g, true);
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void ruleGivesTheExpectedAnswer(String[] c) {
        String expected = c[c.length - 1];
        List<Violation> out = new ArrayList<>();
        switch (c[0]) {
            case "cut" -> {
                List<Polygon> pieces = ParcelCutter.cut(wkt(c[1]), wkt(c[2]));
                assertThat(pieces.stream().map(p -> Long.toString(Math.round(p.getArea()))).toList())
                        .containsExactly(expected.split(","));
                assertThat(pieces.stream().mapToDouble(Geometry::getArea).sum()).isCloseTo(wkt(c[1]).getArea(), org.assertj.core.data.Offset.offset(1e-9));
            }
            case "node" -> {
                Geometry n = wkt(c[1]);
                Geometry noded = RULES.node(n, List.of(wkt(c[2])));
                if (expected.equals("same")) {
                    assertThat(noded).isSameAs(n);
                } else {
                    assertThat(noded.getNumPoints()).isEqualTo(Integer.parseInt(expected));
                    assertThat(noded.getArea()).isEqualTo(n.getArea());
                    assertThat(noded.isValid()).isTrue();
                }
            }
            case "snap" -> assertThat(RULES.snap(wkt(c[1]), List.of(wkt(c[2]))).getArea())
                    .isCloseTo(Double.parseDouble(expected), org.assertj.core.data.Offset.offset(1e-6));
            case "overlap" -> {
                RULES.checkOverlap(wkt(c[1]), wkt(c[2]), 1L, out);
                assertRules(out, expected);
            }
            case "gap" -> {
                RULES.checkGaps(wkt(c[1]), wkt(c[2]), List.of(neighbour(wkt(c[3]))), out);
                assertRules(out, expected);
            }
            case "cover" -> {
                RULES.checkCover(wkt(c[1]), RULES.union(List.of(wkt(c[2]))), out);
                assertRules(out, expected);
            }
            default -> throw new IllegalArgumentException(c[0]);
        }
    }

    static void assertRules(List<Violation> out, String expected) {
        if (expected.equals("none")) {
            assertThat(out).isEmpty();
        } else {
            assertThat(out).extracting(Violation::rule).contains(expected);
            assertThat(out).allSatisfy(v -> assertThat(v.location()).isNotNull());
        }
    }
}
