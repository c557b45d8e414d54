package vn.landgis.rendering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.sun.net.httpserver.HttpServer;

class SldParserTest {

    private static Map<String, Object> attrs(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String cmp(String op, String literal) {
        return "<ogc:" + op + "><ogc:PropertyName>v</ogc:PropertyName><ogc:Literal>" + literal + "</ogc:Literal></ogc:" + op + ">";
    }

    @ParameterizedTest(name = "{0}({1}) on {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            PropertyIsEqualTo                | ONT  | ONT   | true
            PropertyIsEqualTo                | ONT  | ont   | false
            PropertyIsEqualTo                | ONT  | NULL  | false
            PropertyIsEqualTo                | 5    | 5.0   | true
            PropertyIsEqualTo                | 5    | 05    | true
            PropertyIsNotEqualTo             | ONT  | ODT   | true
            PropertyIsNotEqualTo             | ONT  | ONT   | false
            PropertyIsNotEqualTo             | ONT  | NULL  | false
            PropertyIsLessThan               | 10   | 9     | true
            PropertyIsLessThan               | 10   | 10    | false
            PropertyIsLessThan               | 10   | 100   | false
            PropertyIsLessThanOrEqualTo      | 10   | 10    | true
            PropertyIsLessThanOrEqualTo      | 10   | 11    | false
            PropertyIsGreaterThan            | 10   | 100   | true
            PropertyIsGreaterThan            | 10   | 10    | false
            PropertyIsGreaterThanOrEqualTo   | 10   | 10    | true
            PropertyIsGreaterThanOrEqualTo   | 10   | 9.99  | false
            PropertyIsLessThan               | b    | a     | true
            PropertyIsGreaterThan            | b    | a     | false
            """)
    void comparisonsOnStrings(String op, String literal, String value, boolean expected) {
        assertThat(Sld.filter(cmp(op, literal)).test(attrs("v", value))).isEqualTo(expected);
    }

    @Test
    void comparisonsOnNumbersBooleansAndDates() {
        assertThat(Sld.filter(cmp("PropertyIsEqualTo", "5")).test(attrs("v", 5))).isTrue();
        assertThat(Sld.filter(cmp("PropertyIsEqualTo", "5")).test(attrs("v", 5.0d))).isTrue();
        assertThat(Sld.filter(cmp("PropertyIsEqualTo", "5.5")).test(attrs("v", new java.math.BigDecimal("5.50")))).isTrue();
        assertThat(Sld.filter(cmp("PropertyIsGreaterThan", "1000")).test(attrs("v", 1500L))).isTrue();
        assertThat(Sld.filter(cmp("PropertyIsLessThan", "9")).test(attrs("v", 10))).isFalse(); // numeric, not "10" < "9"
        assertThat(Sld.filter(cmp("PropertyIsEqualTo", "true")).test(attrs("v", true))).isTrue();
        assertThat(Sld.filter(cmp("PropertyIsEqualTo", "true")).test(attrs("v", false))).isFalse();
        assertThat(Sld.filter(cmp("PropertyIsGreaterThanOrEqualTo", "2024-01-01")).test(attrs("v", LocalDate.of(2024, 7, 1)))).isTrue();
        assertThat(Sld.filter(cmp("PropertyIsGreaterThanOrEqualTo", "2024-01-01")).test(attrs("v", LocalDate.of(2023, 12, 31)))).isFalse();
        assertThat(Sld.filter(cmp("PropertyIsEqualTo", "5")).test(attrs())).isFalse();
        Filter ci = Sld.filter("<ogc:PropertyIsEqualTo matchCase=\"false\"><ogc:PropertyName>v</ogc:PropertyName><ogc:Literal>ONT</ogc:Literal></ogc:PropertyIsEqualTo>");
        assertThat(ci.test(attrs("v", "ont"))).isTrue();
        // literal first, property second
        Filter reversed = Sld.filter("<ogc:PropertyIsLessThan><ogc:Literal>3</ogc:Literal><ogc:PropertyName>v</ogc:PropertyName></ogc:PropertyIsLessThan>");
        assertThat(reversed.test(attrs("v", 4))).isTrue();
        assertThat(reversed.test(attrs("v", 2))).isFalse();
    }

    @ParameterizedTest(name = "like {0} on {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            Phường*        | Phường 1     | true
            Phường*        | Xã An Bình   | false
            *Bình          | Xã An Bình   | true
            Xã ?n Bình     | Xã An Bình   | true
            Xã ?n Bình     | Xã Ann Bình  | false
            100!*          | 100*         | true
            100!*          | 1000         | false
            a.b            | axb          | false
            a.b            | a.b          | true
            *              | NULL         | false
            """)
    void like(String pattern, String value, boolean expected) {
        Filter f = Sld.filter("<ogc:PropertyIsLike wildCard=\"*\" singleChar=\"?\" escape=\"!\"><ogc:PropertyName>v</ogc:PropertyName>"
                + "<ogc:Literal>" + pattern + "</ogc:Literal></ogc:PropertyIsLike>");
        assertThat(f.test(attrs("v", value))).isEqualTo(expected);
    }

    @Test
    void likeWithSeEscapeCharAndCase() {
        Filter f = Sld.filter("<ogc:PropertyIsLike wildCard=\"%\" singleChar=\"_\" escapeChar=\"\\\" matchCase=\"false\">"
                + "<ogc:PropertyName>v</ogc:PropertyName><ogc:Literal>d\\_%</ogc:Literal></ogc:PropertyIsLike>");
        assertThat(f.test(attrs("v", "D_GT"))).isTrue();
        assertThat(f.test(attrs("v", "DXGT"))).isFalse();
    }

    @Test
    void nullBetweenAndOrNot() {
        Filter isNull = Sld.filter("<ogc:PropertyIsNull><ogc:PropertyName>v</ogc:PropertyName></ogc:PropertyIsNull>");
        assertThat(isNull.test(attrs("v", null))).isTrue();
        assertThat(isNull.test(attrs())).isTrue();
        assertThat(isNull.test(attrs("v", ""))).isFalse();

        Filter between = Sld.filter("<ogc:PropertyIsBetween><ogc:PropertyName>v</ogc:PropertyName>"
                + "<ogc:LowerBoundary><ogc:Literal>10</ogc:Literal></ogc:LowerBoundary>"
                + "<ogc:UpperBoundary><ogc:Literal>20</ogc:Literal></ogc:UpperBoundary></ogc:PropertyIsBetween>");
        assertThat(between.test(attrs("v", 10))).isTrue();
        assertThat(between.test(attrs("v", 20))).isTrue();
        assertThat(between.test(attrs("v", 15.5))).isTrue();
        assertThat(between.test(attrs("v", 9))).isFalse();
        assertThat(between.test(attrs("v", 21))).isFalse();
        assertThat(between.test(attrs("v", null))).isFalse();

        String a = cmp("PropertyIsGreaterThan", "1");
        String b = "<ogc:PropertyIsEqualTo><ogc:PropertyName>k</ogc:PropertyName><ogc:Literal>x</ogc:Literal></ogc:PropertyIsEqualTo>";
        Filter and = Sld.filter("<ogc:And>" + a + b + "</ogc:And>");
        Filter or = Sld.filter("<ogc:Or>" + a + b + "</ogc:Or>");
        Filter not = Sld.filter("<ogc:Not>" + b + "</ogc:Not>");
        assertThat(and.test(attrs("v", 2, "k", "x"))).isTrue();
        assertThat(and.test(attrs("v", 0, "k", "x"))).isFalse();
        assertThat(or.test(attrs("v", 0, "k", "x"))).isTrue();
        assertThat(or.test(attrs("v", 0, "k", "y"))).isFalse();
        assertThat(not.test(attrs("k", "y"))).isTrue();
        assertThat(not.test(attrs("k", "x"))).isFalse();
    }

    @Test
    void unknownFilterElementIsNamed() {
        assertThatThrownBy(() -> Sld.filter("<ogc:PropertyIsSimilarTo><ogc:PropertyName>v</ogc:PropertyName></ogc:PropertyIsSimilarTo>"))
                .isInstanceOf(StyleException.class).hasMessageContaining("ogc:PropertyIsSimilarTo");
        assertThatThrownBy(() -> Sld.filter("<ogc:Intersects><ogc:PropertyName>geom</ogc:PropertyName></ogc:Intersects>"))
                .isInstanceOf(StyleException.class).hasMessageContaining("ogc:Intersects");
        assertThatThrownBy(() -> Sld.filter("<ogc:PropertyIsEqualTo><ogc:Function name=\"strToUpper\"/><ogc:Literal>A</ogc:Literal></ogc:PropertyIsEqualTo>"))
                .isInstanceOf(StyleException.class).hasMessageContaining("ogc:Function");
        assertThatThrownBy(() -> Sld.rules("<Rule><PolygonSymbolizer><Fill/><Sparkle/></PolygonSymbolizer></Rule>"))
                .isInstanceOf(StyleException.class).hasMessageContaining("Sparkle");
        assertThatThrownBy(() -> Sld.rules(Sld.polygonRule("a", null, "red")))
                .isInstanceOf(StyleException.class).hasMessageContaining("'red' is not a colour");
    }

    @Test
    void scaleRangesMinInclusiveMaxExclusive() {
        Style s = Sld.rules("<Rule><Name>mid</Name><MinScaleDenominator>1000</MinScaleDenominator>"
                + "<MaxScaleDenominator>5000</MaxScaleDenominator>" + Sld.textRule("name", 10).substring(6));
        assertThat(s.isVisibleAt(999)).isFalse();
        assertThat(s.isVisibleAt(1000)).isTrue();
        assertThat(s.isVisibleAt(4999.9)).isTrue();
        assertThat(s.isVisibleAt(5000)).isFalse();
        assertThat(s.isVisibleAt(Double.NaN)).isTrue();
        assertThat(s.hasLabelsAt(2000)).isTrue();
        assertThat(s.hasLabelsAt(6000)).isFalse();
        assertThat(s.propertiesUsed(2000)).containsExactly("name");
        assertThat(s.propertiesUsed(6000)).isEmpty();
        assertThat(s.legendItems(2000)).containsExactly(new LegendItem("mid", "mid"));
        assertThat(s.legendItems(6000)).isEmpty();
    }

    @Test
    void elseFilterAppliesWhenNoFilteredRuleMatched() {
        Style s = Sld.rules(Sld.polygonRule("a", Sld.eq("c", "A"), "#FF0000")
                + Sld.polygonRule("b", Sld.eq("c", "B"), "#00FF00")
                + Sld.polygonRule("all", null, "#000000")
                + "<Rule><Name>else</Name><ElseFilter/><PolygonSymbolizer/></Rule>");
        FeatureTypeStyle.Selector sel = s.featureTypeStyles().getFirst().selector(1000);
        assertThat(sel.match(attrs("c", "A"))).extracting(r -> r.name).containsExactly("a", "all");
        assertThat(sel.match(attrs("c", "Z"))).extracting(r -> r.name).containsExactly("all", "else");
        assertThat(sel.match(attrs())).extracting(r -> r.name).containsExactly("all", "else");
    }

    @Test
    void elseFilterIgnoresRulesOutOfScale() {
        Style s = Sld.rules("<Rule><Name>a</Name><ogc:Filter>" + Sld.eq("c", "A") + "</ogc:Filter>"
                + "<MaxScaleDenominator>1000</MaxScaleDenominator><PolygonSymbolizer/></Rule>"
                + "<Rule><Name>else</Name><ElseFilter/><PolygonSymbolizer/></Rule>");
        assertThat(s.featureTypeStyles().getFirst().selector(500).match(attrs("c", "A"))).extracting(r -> r.name).containsExactly("a");
        assertThat(s.featureTypeStyles().getFirst().selector(5000).match(attrs("c", "A"))).extracting(r -> r.name).containsExactly("else");
    }

    @Test
    void manyEqualityRulesUseTheIndexAndKeepDocumentOrder() {
        StringBuilder rules = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            rules.append(Sld.polygonRule("r" + i, Sld.eq("code", "C" + i), "#000000"));
        }
        rules.append(Sld.polygonRule("numeric", Sld.eq("code", "7"), "#000000"));
        rules.append(Sld.polygonRule("dup", Sld.eq("code", "C3"), "#000000"));
        rules.append(Sld.polygonRule("other", "<ogc:PropertyIsLike wildCard=\"*\" singleChar=\"?\" escape=\"!\"><ogc:PropertyName>code</ogc:PropertyName><ogc:Literal>C1*</ogc:Literal></ogc:PropertyIsLike>", "#000000"));
        rules.append("<Rule><Name>else</Name><ElseFilter/><PolygonSymbolizer/></Rule>");
        Style s = Sld.rules(rules.toString());
        FeatureTypeStyle fts = s.featureTypeStyles().getFirst();
        assertThat(fts.isIndexed()).isTrue();
        FeatureTypeStyle.Selector sel = fts.selector(1000);
        assertThat(sel.match(attrs("code", "C3"))).extracting(r -> r.name).containsExactly("r3", "dup");
        assertThat(sel.match(attrs("code", "C12"))).extracting(r -> r.name).containsExactly("r12", "other");
        assertThat(sel.match(attrs("code", 7))).extracting(r -> r.name).containsExactly("numeric");
        assertThat(sel.match(attrs("code", "7.0"))).extracting(r -> r.name).containsExactly("numeric");
        assertThat(sel.match(attrs("code", "X"))).extracting(r -> r.name).containsExactly("else");
        assertThat(sel.match(attrs("code", null))).extracting(r -> r.name).containsExactly("else");
    }

    @Test
    void se11DocumentParses() {
        String se = """
                <?xml version="1.0" encoding="UTF-8"?>
                <StyledLayerDescriptor version="1.1.0" xmlns="http://www.opengis.net/sld" xmlns:se="http://www.opengis.net/se"
                    xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink">
                  <NamedLayer>
                    <se:Name>parcels</se:Name>
                    <UserStyle>
                      <se:Name>parcels_se</se:Name>
                      <se:Description><se:Title>Thửa đất (SE)</se:Title><se:Abstract>SE 1.1 variant</se:Abstract></se:Description>
                      <se:FeatureTypeStyle>
                        <se:Rule>
                          <se:Name>ONT</se:Name>
                          <se:Description><se:Title>ONT – Đất ở tại nông thôn</se:Title></se:Description>
                          <ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>land_use_code</ogc:PropertyName><ogc:Literal>ONT</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>
                          <se:MaxScaleDenominator>50000</se:MaxScaleDenominator>
                          <se:PolygonSymbolizer uom="http://www.opengeospatial.org/se/units/metre">
                            <se:Fill><se:SvgParameter name="fill">#FFD0FF</se:SvgParameter></se:Fill>
                            <se:Stroke><se:SvgParameter name="stroke">#404040</se:SvgParameter><se:SvgParameter name="stroke-width">0.5</se:SvgParameter></se:Stroke>
                          </se:PolygonSymbolizer>
                          <se:TextSymbolizer>
                            <se:Label>Thửa <ogc:PropertyName>parcel_no</ogc:PropertyName></se:Label>
                            <se:Font><se:SvgParameter name="font-family">DejaVu Sans</se:SvgParameter><se:SvgParameter name="font-size">11</se:SvgParameter></se:Font>
                            <se:LabelPlacement><se:PointPlacement><se:AnchorPoint><se:AnchorPointX>0.5</se:AnchorPointX><se:AnchorPointY>0.5</se:AnchorPointY></se:AnchorPoint></se:PointPlacement></se:LabelPlacement>
                            <se:Halo><se:Radius>1.5</se:Radius><se:Fill><se:SvgParameter name="fill">#FFFFFF</se:SvgParameter></se:Fill></se:Halo>
                            <se:Fill><se:SvgParameter name="fill">#222222</se:SvgParameter></se:Fill>
                          </se:TextSymbolizer>
                        </se:Rule>
                        <se:Rule>
                          <se:Name>other</se:Name>
                          <se:ElseFilter/>
                          <se:PointSymbolizer>
                            <se:Graphic><se:Mark><se:WellKnownName>star</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#FF0000</se:SvgParameter></se:Fill></se:Mark><se:Size>12</se:Size><se:Rotation>45</se:Rotation></se:Graphic>
                          </se:PointSymbolizer>
                        </se:Rule>
                      </se:FeatureTypeStyle>
                    </UserStyle>
                  </NamedLayer>
                </StyledLayerDescriptor>
                """;
        Style s = Sld.parse(se);
        assertThat(s.name()).isEqualTo("parcels_se");
        assertThat(s.title()).isEqualTo("Thửa đất (SE)");
        assertThat(s.abstractText()).isEqualTo("SE 1.1 variant");
        assertThat(s.legendItems(Double.NaN)).containsExactly(new LegendItem("ONT", "ONT – Đất ở tại nông thôn"), new LegendItem("other", "other"));
        assertThat(s.propertiesUsed(1000)).containsExactly("land_use_code", "parcel_no");
        Symbolizer.Polygon p = (Symbolizer.Polygon) s.rules().getFirst().symbolizers.getFirst();
        assertThat(p.metres()).isTrue();
        // 0.5 m at 1:1000 (0.28 m per pixel) is about 1.79 px
        assertThat(p.stroke().width() * Symbolizer.uomFactor(p.metres(), 1000)).isCloseTo(1.7857, org.assertj.core.data.Offset.offset(1e-3));
        Symbolizer.Text t = (Symbolizer.Text) s.rules().getFirst().symbolizers.get(1);
        assertThat(t.label().evaluate(attrs("parcel_no", 12))).isEqualTo("Thửa 12");
        assertThat(t.label().evaluate(attrs())).isNull();
    }

    @Test
    void defaultUserStyleIsChosenAndNameFallsBackToTheFile() {
        String xml = "<StyledLayerDescriptor " + Sld.NS + "><NamedLayer><Name>x</Name>"
                + "<UserStyle><Title>first</Title><FeatureTypeStyle>" + Sld.polygonRule("a", null, "#000000") + "</FeatureTypeStyle></UserStyle>"
                + "<UserStyle><Title>second</Title><IsDefault>1</IsDefault><FeatureTypeStyle>" + Sld.polygonRule("b", null, "#000000") + "</FeatureTypeStyle></UserStyle>"
                + "</NamedLayer></StyledLayerDescriptor>";
        Style s = SldParser.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "from_file");
        assertThat(s.name()).isEqualTo("from_file");
        assertThat(s.title()).isEqualTo("second");
        assertThat(s.abstractText()).isEmpty();
        assertThat(s.legendItems(Double.NaN)).extracting(LegendItem::ruleName).containsExactly("b");
    }

    @Test
    void labelMixesTextAndProperties() {
        Style s = Sld.rules("<Rule><TextSymbolizer><Label>\n   Tờ <ogc:PropertyName>sheet_no</ogc:PropertyName> / <ogc:PropertyName>scale</ogc:PropertyName>\n  </Label></TextSymbolizer></Rule>");
        Symbolizer.Text t = (Symbolizer.Text) s.rules().getFirst().symbolizers.getFirst();
        assertThat(t.label().evaluate(attrs("sheet_no", 12, "scale", 1000.0))).isEqualTo("Tờ 12 / 1000");
        assertThat(t.label().evaluate(attrs("sheet_no", "12a", "scale", 0.1f))).isEqualTo("Tờ 12a / 0.1");
        assertThat(t.label().evaluate(attrs("sheet_no", 3, "scale", new java.math.BigDecimal("2500.50")))).isEqualTo("Tờ 3 / 2500.5");
        assertThat(t.label().evaluate(attrs("sheet_no", 3))).isEqualTo("Tờ 3 / ");
        assertThat(t.label().evaluate(attrs())).isNull();
    }

    @Test
    void doctypeWithExternalEntityIsRefusedWithoutReadingTheFile(@TempDir Path dir) throws Exception {
        String marker = "MARKER-" + System.nanoTime();
        Path secret = Files.writeString(dir.resolve("secret.txt"), marker);
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE StyledLayerDescriptor [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + Sld.document("<Rule><Name>&xxe;</Name><Title>&xxe;</Title><PolygonSymbolizer/></Rule>")
                .replaceFirst("<\\?xml[^>]*>\\s*", "");
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> Sld.parse(xml));
        assertThat(thrown).isInstanceOf(StyleException.class).hasMessageContaining("DOCTYPE");
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(marker);
        }
    }

    @Test
    void externalDtdAndParameterEntitiesAreNeverFetched() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "<!ENTITY x \"y\">".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            String withDtd = "<?xml version=\"1.0\"?><!DOCTYPE StyledLayerDescriptor SYSTEM \"" + base + "/sld.dtd\">"
                    + Sld.document(Sld.polygonRule("a", null, "#000000")).replaceFirst("<\\?xml[^>]*>\\s*", "");
            String withParam = "<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY % p SYSTEM \"" + base + "/p.ent\"> %p;]>"
                    + Sld.document(Sld.polygonRule("a", null, "#000000")).replaceFirst("<\\?xml[^>]*>\\s*", "");
            assertThatThrownBy(() -> Sld.parse(withDtd)).isInstanceOf(StyleException.class).hasMessageContaining("DOCTYPE");
            assertThatThrownBy(() -> Sld.parse(withParam)).isInstanceOf(StyleException.class).hasMessageContaining("DOCTYPE");
            assertThat(requests).hasValue(0);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void xincludeIsNotProcessed(@TempDir Path dir) throws Exception {
        String marker = "MARKER-" + System.nanoTime();
        Path secret = Files.writeString(dir.resolve("rule.xml"), "<Rule xmlns=\"http://www.opengis.net/sld\"><Name>" + marker + "</Name></Rule>");
        String xml = Sld.document("<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"" + secret.toUri() + "\"/>");
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> Sld.parse(xml));
        assertThat(thrown).isInstanceOf(StyleException.class).hasMessageContaining("xi:include");
        assertThat(thrown.getMessage()).doesNotContain(marker);
    }

    @Test
    void externalGraphicsMustBeLocalPngsInsideTheStyleDirectory(@TempDir Path dir) throws IOException {
        java.awt.image.BufferedImage icon = new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        icon.setRGB(1, 1, 0xFFFF0000);
        Path styles = Files.createDirectories(dir.resolve("styles"));
        Files.createDirectories(styles.resolve("icons"));
        javax.imageio.ImageIO.write(icon, "png", styles.resolve("icons/pin.png").toFile());
        javax.imageio.ImageIO.write(icon, "png", dir.resolve("outside.png").toFile());
        for (String[] c : List.of(
                new String[]{"icons/pin.png", null},
                new String[]{"./icons/../icons/pin.png", null},
                new String[]{"http://example.com/pin.png", "refused"},
                new String[]{"https://example.com/pin.png", "refused"},
                new String[]{dir.resolve("outside.png").toUri().toString(), "refused"},
                new String[]{"../outside.png", "leaves the styles directory"},
                new String[]{"/etc/passwd.png", "absolute"},
                new String[]{"icons/pin.gif", "PNG"})) {
            String xml = Sld.document("<Rule><PointSymbolizer><Graphic><ExternalGraphic><OnlineResource xlink:type=\"simple\" xlink:href=\""
                    + c[0] + "\"/><Format>image/png</Format></ExternalGraphic><Size>8</Size></Graphic></PointSymbolizer></Rule>");
            if (c[1] == null) {
                Style s = SldParser.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "pin", styles);
                Symbolizer.Point p = (Symbolizer.Point) s.rules().getFirst().symbolizers.getFirst();
                assertThat(p.graphic().image().width()).isEqualTo(4);
                assertThat(p.graphic().image().argb()[5]).isEqualTo(0xFFFF0000);
            } else {
                assertThatThrownBy(() -> SldParser.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "pin", styles))
                        .as(c[0]).isInstanceOf(StyleException.class).hasMessageContaining(c[1]);
            }
        }
    }
}
