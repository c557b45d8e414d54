package vn.landgis.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads a GeoJSON FeatureCollection of (Multi)Polygons, streaming: one feature in memory at a time. The CRS is the
 * old-style {@code crs} member that district tools write ({@code urn:ogc:def:crs:EPSG::9210}, {@code EPSG:9210});
 * without one, RFC 7946 says WGS 84, which is taken when the coordinates look like longitudes and latitudes.
 */
final class GeoJsonReader implements DeliveryReader {

    private static final Pattern EPSG = Pattern.compile("EPSG:{1,2}(\\d{4,6})$");

    /** The EPSG code of an old-style {@code crs} member ({@code urn:ogc:def:crs:EPSG::9210}, {@code EPSG:9210}, the 2008 draft's form), or 0. */
    static int epsg(JsonNode crs) {
        Matcher m = EPSG.matcher(crs.path("properties").path("name").asString(""));
        int declared = m.find() ? Integer.parseInt(m.group(1)) : 0;
        // the 2008 draft's other form: {"type": "EPSG", "properties": {"code": 9209}}
        JsonNode code = crs.path("properties").path("code");
        if (declared == 0 && "EPSG".equalsIgnoreCase(crs.path("type").asString("")) && code.canConvertToInt()) {
            declared = code.asInt();
        }
        if (declared == 0 && "EPSG".equalsIgnoreCase(crs.path("type").asString("")) && code.isString()
                && code.asString().strip().matches("\\d{4,6}")) {
            declared = Integer.parseInt(code.asString().strip());
        }
        return declared;
    }

    /** The EPSG code a whole GeoJSON document's {@code crs} member gives, if it has one that names one. */
    static java.util.Optional<Integer> crsMember(JsonNode root) {
        int declared = root.has("crs") ? epsg(root.path("crs")) : 0;
        return declared == 0 ? java.util.Optional.empty() : java.util.Optional.of(declared);
    }

    private final Path file;
    /** Reads one value at a time out of a larger document: the rest of the document is not an error. */
    private final ObjectMapper json = tools.jackson.databind.json.JsonMapper.builder()
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private final int srid;

    GeoJsonReader(Path file) throws IOException {
        this.file = file;
        if (Files.size(file) == 0) {
            throw new IOException(file.getFileName() + " is empty");
        }
        int declared = 0;
        boolean lonLat = false;
        try (InputStream in = Files.newInputStream(file); JsonParser p = json.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(file.getFileName() + " is not a GeoJSON object");
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("crs")) {
                    declared = epsg(json.readTree(p));
                } else if (name.equals("features")) {
                    if (p.nextToken() == JsonToken.START_OBJECT) {
                        JsonNode first = json.readTree(p);
                        JsonNode c = first.path("geometry").path("coordinates");
                        while (c.isArray() && c.size() > 0 && c.get(0).isArray()) {
                            c = c.get(0);
                        }
                        lonLat = c.size() >= 2 && Math.abs(c.get(0).asDouble()) <= 180 && Math.abs(c.get(1).asDouble()) <= 90;
                    }
                    break;
                } else {
                    p.skipChildren();
                }
            }
        } catch (tools.jackson.core.JacksonException e) {
            throw new IOException(file.getFileName() + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        this.srid = declared != 0 ? declared : lonLat ? 4326 : 0;
    }

    @Override
    public int declaredSrid() {
        return srid;
    }

    @Override
    public long featureCount() {
        return -1;
    }

    private double[] extent;

    /**
     * A GeoJSON in projected coordinates without a CRS: its extent, from one pass over its coordinates, so that the import recognises the system as it does a Shapefile's by its header (a UTM file read
     * as the district's TM-3 was a misplaced sheet each, not one crs-ambiguous or crs-recognised finding). Null when
     * the file declares its CRS or is in degrees (RFC 7946): not needed.
     */
    @Override
    public double[] extent() {
        if (srid != 0) {
            return null;
        }
        if (extent == null) {
            double[] box = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
            try (InputStream in = Files.newInputStream(file); JsonParser p = json.createParser(in)) {
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    if (t == JsonToken.PROPERTY_NAME && "coordinates".equals(p.currentName())) {
                        p.nextToken();
                        grow(box, json.readTree(p));
                    }
                }
            } catch (IOException | tools.jackson.core.JacksonException e) {
                return null;   // the reading proper says what is wrong with the file
            }
            extent = box[0] <= box[2] ? box : new double[0];
        }
        return extent.length == 4 ? extent.clone() : null;
    }

    private static void grow(double[] box, JsonNode c) {
        if (c.isArray() && c.size() >= 2 && c.get(0).isNumber()) {
            double x = c.get(0).asDouble();
            double y = c.get(1).asDouble();
            if (Double.isFinite(x) && Double.isFinite(y)) {
                box[0] = Math.min(box[0], x);
                box[1] = Math.min(box[1], y);
                box[2] = Math.max(box[2], x);
                box[3] = Math.max(box[3], y);
            }
        } else if (c.isArray()) {
            c.forEach(child -> grow(box, child));
        }
    }

    @Override
    public void forEach(Consumer<SourceFeature> consumer) throws IOException {
        try (InputStream in = Files.newInputStream(file); JsonParser p = json.createParser(in)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (!name.equals("features")) {
                    p.skipChildren();
                    continue;
                }
                int n = 0;
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    JsonNode f = json.readTree(p);
                    Map<String, String> attributes = new LinkedHashMap<>();
                    f.path("properties").properties().forEach(e -> attributes.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asString()));
                    List<double[][]> polygons;
                    try {
                        polygons = polygons(f.path("geometry"));
                    } catch (RuntimeException e) {
                        polygons = List.of();   // a point, a line or broken coordinates: this feature's no-geometry error, not the file's end
                    }
                    consumer.accept(new SourceFeature(++n, attributes, polygons));
                }
            }
        } catch (tools.jackson.core.JacksonException e) {
            throw new IOException(file.getFileName() + " is not valid GeoJSON: " + e.getOriginalMessage(), e);
        }
    }

    private static List<double[][]> polygons(JsonNode geometry) {
        String type = geometry.path("type").asString("");
        JsonNode c = geometry.path("coordinates");
        List<double[][]> out = new ArrayList<>();
        if (type.equals("Polygon")) {
            out.add(polygon(c));
        } else if (type.equals("MultiPolygon")) {
            for (JsonNode p : c) {
                out.add(polygon(p));
            }
        } else if (!type.isEmpty()) {
            throw new IllegalArgumentException("geometry type " + type + " is not a polygon");
        }
        return out;
    }

    private static double[][] polygon(JsonNode rings) {
        double[][] out = new double[rings.size()][];
        for (int r = 0; r < rings.size(); r++) {
            JsonNode ring = rings.get(r);
            double[] xy = new double[ring.size() * 2];
            for (int i = 0; i < ring.size(); i++) {
                xy[2 * i] = ring.get(i).get(0).asDouble();
                xy[2 * i + 1] = ring.get(i).get(1).asDouble();
            }
            out[r] = xy;
        }
        return out;
    }

    @Override
    public void close() {
    }
}
