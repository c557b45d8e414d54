package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.io.WKBWriter;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import vn.landgis.support.MigratedTestDatabase;

/** What {@link BinaryCopy} writes, read back by PostgreSQL and PostGIS: every field kind, NULLs, odd numbers and text. */
class BinaryCopyTest {

    @Test
    void postgresReadsBackEveryValueAsItsTextFormWouldHaveMadeIt() throws Exception {
        Random random = new Random(11);
        List<BigDecimal> numbers = new ArrayList<>(List.of(new BigDecimal("0"), new BigDecimal("0.05"), new BigDecimal("-0.05"),
                new BigDecimal("123.45"), new BigDecimal("123.449"), new BigDecimal("10000"), new BigDecimal("9999.99"),
                new BigDecimal("99999999999.99"), new BigDecimal("1.0E7"), new BigDecimal("0.0001"), new BigDecimal("-2.5")));
        for (int i = 0; i < 2_000; i++) {
            numbers.add(BigDecimal.valueOf(random.nextDouble() * Math.pow(10, random.nextInt(11)) * (random.nextBoolean() ? 1 : -1)));
        }
        String[] texts = {"Nguyễn Văn Ánh", "a \"quoted\", comma\nnew line\\back slash", "", "nul\0inside", null};
        GeometryFactory factory = new GeometryFactory();
        var square = factory.createMultiPolygon(new org.locationtech.jts.geom.Polygon[] {factory.createPolygon(new Coordinate[] {
                new Coordinate(560_000, 1_250_000), new Coordinate(560_010, 1_250_000), new Coordinate(560_010, 1_250_010),
                new Coordinate(560_000, 1_250_010), new Coordinate(560_000, 1_250_000)})});

        try (Connection c = MigratedTestDatabase.dataSource().getConnection()) {
            c.createStatement().execute("CREATE TEMP TABLE binary_copy (n int, big bigint, a numeric(14, 1), b numeric(14, 2), t text, f boolean,"
                    + " g geometry(MultiPolygon, 9210), h geometry)");
            BinaryCopy copy = new BinaryCopy();
            int n = Math.max(numbers.size(), texts.length);
            for (int i = 0; i < n; i++) {
                BigDecimal number = numbers.get(i % numbers.size());
                copy.row(8);
                copy.int4(i == 3 ? null : i);
                copy.int8(-7_000_000_000L + i);
                copy.numeric(i == 4 ? null : number, 1);
                copy.numeric(number, 2);
                copy.text(texts[i % texts.length]);
                copy.bool(i % 3 == 0 ? null : i % 3 == 1);
                copy.ewkb(new WKBWriter(2, org.locationtech.jts.io.ByteOrderValues.LITTLE_ENDIAN).write(square), 9210);
                copy.ewkb(i % 2 == 0 ? null : new WKBWriter(2, org.locationtech.jts.io.ByteOrderValues.BIG_ENDIAN).write(square), 9209);
            }
            copy.end();
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY binary_copy FROM STDIN WITH (FORMAT binary)");
            copy.drain((bytes, length) -> in.writeToCopy(bytes, 0, length));
            assertThat(in.endCopy()).isEqualTo(n);

            try (var rs = c.createStatement().executeQuery("SELECT n, big, a::text, b::text, t, f, ST_AsText(g), ST_SRID(g), ST_SRID(h), h IS NULL"
                    + " FROM binary_copy ORDER BY big")) {
                int i = 0;
                while (rs.next()) {
                    BigDecimal number = numbers.get(i % numbers.size());
                    assertThat(rs.getObject(1)).isEqualTo(i == 3 ? null : i);
                    assertThat(rs.getLong(2)).isEqualTo(-7_000_000_000L + i);
                    assertThat(rs.getString(3)).as("numeric(14,1) of %s", number)
                            .isEqualTo(i == 4 ? null : number.setScale(1, RoundingMode.HALF_UP).toPlainString());
                    assertThat(rs.getString(4)).as("numeric(14,2) of %s", number).isEqualTo(number.setScale(2, RoundingMode.HALF_UP).toPlainString());
                    String text = texts[i % texts.length];
                    assertThat(rs.getString(5)).isEqualTo(text == null ? null : text.replace("\0", ""));
                    assertThat(rs.getObject(6)).isEqualTo(i % 3 == 0 ? null : i % 3 == 1);
                    assertThat(rs.getString(7)).isEqualTo("MULTIPOLYGON(((560000 1250000,560010 1250000,560010 1250010,560000 1250010,560000 1250000)))");
                    assertThat(rs.getInt(8)).isEqualTo(9210);
                    assertThat(rs.getBoolean(10)).isEqualTo(i % 2 == 0);
                    if (i % 2 == 1) {
                        assertThat(rs.getInt(9)).isEqualTo(9209);
                    }
                    i++;
                }
                assertThat(i).isEqualTo(n);
            }
        }
    }

    @Test
    void aDeliveredAreaThatNumeric14Of1CannotHoldReadsAsUnreadableInsteadOfFailingTheBatch() {
        assertThat(ImportService.decimal(" 123,45 ")).isEqualTo("123.45");
        assertThat(ImportService.decimal("9999999999999.9")).isEqualTo("9.9999999999999E12");
        // as people type areas in spreadsheets: Vietnamese and English grouping, a unit
        assertThat(ImportService.decimal("1.234,5")).isEqualTo("1234.5");
        assertThat(ImportService.decimal("1,234.5")).isEqualTo("1234.5");
        assertThat(ImportService.decimal("1.234.567")).isEqualTo("1234567.0");
        assertThat(ImportService.decimal("245,6 m²")).isEqualTo("245.6");
        assertThat(ImportService.decimal("245.6m2")).isEqualTo("245.6");
        assertThat(ImportService.decimal("1 234,5")).isEqualTo("1234.5");
        assertThat(ImportService.decimal("245.125")).isEqualTo("245.125");   // a file's three decimals, not thousands
        assertThat(ImportService.decimal("245,12")).isEqualTo("245.12");   // a lone comma: the Vietnamese decimal one
        assertThat(ImportService.decimal("245,125")).as("a thousand or decimals: neither taken").isNull();
        for (String bad : new String[] {"NaN", "Infinity", "-Infinity", "1e13", "9999999999999.96", "-1e20", "abc", " ", "12,3,4.5", "khoảng 200"}) {
            assertThat(ImportService.decimal(bad)).as(bad).isNull();
        }
    }

    @Test
    void aGeometryWrittenStraightIntoTheBufferIsTheSameEwkbAsThroughJtsWriter() {
        GeometryFactory factory = new GeometryFactory();
        Random random = new Random(17);
        List<org.locationtech.jts.geom.Geometry> geometries = new ArrayList<>(List.of(factory.createMultiPolygon(),
                factory.createPolygon(), factory.createMultiPolygon(new org.locationtech.jts.geom.Polygon[] {factory.createPolygon()}),
                factory.createPoint(new Coordinate(1, 2)), factory.createLineString(new Coordinate[] {new Coordinate(0, 0), new Coordinate(1, 1)})));
        for (int i = 0; i < 200; i++) {
            var polygons = new org.locationtech.jts.geom.Polygon[1 + random.nextInt(3)];
            for (int p = 0; p < polygons.length; p++) {
                double x = 500_000 + random.nextDouble() * 100_000;
                double y = 1_200_000 + random.nextDouble() * 100_000;
                var shell = factory.createLinearRing(new Coordinate[] {new Coordinate(x, y), new Coordinate(x + 30.125, y),
                        new Coordinate(x + 30, y + 20.3), new Coordinate(x - 0.001, y + 19), new Coordinate(x, y)});
                var holes = random.nextBoolean() ? new org.locationtech.jts.geom.LinearRing[0] : new org.locationtech.jts.geom.LinearRing[] {
                        factory.createLinearRing(new Coordinate[] {new Coordinate(x + 5, y + 5), new Coordinate(x + 6, y + 5),
                                new Coordinate(x + 6, y + 6), new Coordinate(x + 5, y + 5)})};
                polygons[p] = factory.createPolygon(shell, holes);
            }
            geometries.add(random.nextBoolean() || polygons.length > 1 ? factory.createMultiPolygon(polygons) : polygons[0]);
        }
        WKBWriter jts = new WKBWriter(2, org.locationtech.jts.io.ByteOrderValues.LITTLE_ENDIAN);
        for (var g : geometries) {
            BinaryCopy straight = new BinaryCopy();
            straight.ewkb(g, 9210);
            BinaryCopy through = new BinaryCopy();
            through.ewkb(jts.write(g), 9210);
            byte[][] bytes = new byte[2][];
            straight.drain((b, n) -> bytes[0] = Arrays.copyOf(b, n));
            through.drain((b, n) -> bytes[1] = Arrays.copyOf(b, n));
            assertThat(bytes[0]).as(g.toText()).isEqualTo(bytes[1]);
        }
    }

    @Test
    void aPlainNumberReadsTheSameByTheShortWayAsByThePatterns() {
        assertThat(ImportService.plainDecimal("245.6")).isTrue();
        assertThat(ImportService.plainDecimal("-0012")).isTrue();
        for (String notPlain : new String[] {"", "-", ".5", "245.", "1.2.3", "1,5", "1e5", "+5", " 5", "245.6m2", "٣"}) {
            assertThat(ImportService.plainDecimal(notPlain)).as(notPlain).isFalse();
        }
        assertThat(ImportService.decimal("0012.50")).isEqualTo("12.5");
        assertThat(ImportService.decimal("-0.5")).isEqualTo("-0.5");
        assertThat(ImportService.decimal(".5")).isEqualTo("0.5");
        assertThat(ImportService.decimal("245.")).isEqualTo("245.0");
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 10_000; i++) {
            String s = String.format(java.util.Locale.ROOT, "%." + random.nextInt(4) + "f", random.nextDouble() * Math.pow(10, random.nextInt(14)));
            String expected = s.length() > 0 && new java.math.BigDecimal(s).setScale(1, java.math.RoundingMode.HALF_UP).compareTo(new java.math.BigDecimal("1e13")) < 0
                    ? Double.toString(Double.parseDouble(s)) : null;
            assertThat(ImportService.decimal(s)).as(s).isEqualTo(expected);
        }
    }
}
