package vn.landgis.features.filter;

import java.util.List;

import org.locationtech.jts.geom.Geometry;

/**
 * A feature filter (OGC Filter Encoding 2.0) as a tree, independent of XML and SQL: {@code FesParser} builds it
 * from a {@code fes:Filter}, {@code features.postgis.FilterSql} turns it into SQL with bound parameters.
 * Property names are local attribute names of the layer ({@code parcel_no}, {@code geom}); literals stay text
 * until SQL casts them to the column's type. Geometries are JTS with their SRID set and x = east.
 */
public sealed interface Filter {

    /**
     * The property name {@code gml:boundedBy} as {@code FesParser} hands it on: it stands for the layer's
     * geometry (our features have no separate bounds). Not a column name: it cannot collide with one.
     */
    String BOUNDED_BY = "gml:boundedBy";

    /**
     * True for the descriptive properties every GML feature may have (gml:name, gml:description, gml:identifier):
     * ours never carry them, so they are always nil.
     */
    static boolean isGmlDescriptive(String property) {
        return property != null && property.startsWith("gml:") && !property.equals(BOUNDED_BY);
    }

    record And(List<Filter> operands) implements Filter {
        public And {
            operands = List.copyOf(operands);
        }
    }

    record Or(List<Filter> operands) implements Filter {
        public Or {
            operands = List.copyOf(operands);
        }
    }

    record Not(Filter operand) implements Filter {
    }

    enum ComparisonOp { EQ, NE, LT, GT, LE, GE }

    /** {@code property op literal}; {@code matchCase=false} compares text case-insensitively. */
    record Comparison(ComparisonOp op, String property, String literal, boolean matchCase) implements Filter {
    }

    /** PropertyIsLike with the request's wild-card, single-character and escape characters. */
    record Like(String property, String pattern, char wildCard, char singleChar, char escapeChar, boolean matchCase) implements Filter {
    }

    record IsNull(String property) implements Filter {
    }

    /** PropertyIsNil: our attributes are nillable and a missing value is nil. */
    record IsNil(String property) implements Filter {
    }

    record Between(String property, String lower, String upper) implements Filter {
    }

    enum SpatialOp { BBOX, INTERSECTS, DISJOINT, WITHIN, CONTAINS, OVERLAPS, TOUCHES, CROSSES, EQUALS }

    /** A spatial predicate; {@code property} null means the layer's geometry. */
    record Spatial(SpatialOp op, String property, Geometry geometry) implements Filter {
    }

    /** DWithin ({@code beyond=false}) or Beyond, {@code distance} in {@code units} (m, km, deg ... as given). */
    record Distance(boolean beyond, String property, Geometry geometry, double distance, String units) implements Filter {

        /**
         * The distance in metres. Units are read case-insensitively: {@code m}/{@code metre}/{@code meter},
         * {@code km}, {@code cm}, {@code mm}, {@code ft} (international foot), {@code us-ft}, {@code yd},
         * {@code mi} (statute mile), {@code nmi} (nautical mile), and EPSG unit codes in the forms
         * {@code urn:ogc:def:uom:EPSG::9001}, {@code http://www.opengis.net/def/uom/EPSG/0/9001}, {@code EPSG:9001}.
         * No unit (null or blank) means metres, the unit of every storage CRS we use.
         *
         * @throws FilterException InvalidParameterValue for a negative or non-finite distance, an unknown unit, or
         *                         angular units: a degree is not a fixed length (111 km north-south, about 105 km
         *                         east-west in Vietnam), so a distance in degrees would select the wrong parcels
         */
        public double metres() {
            if (!Double.isFinite(distance) || distance < 0) {
                throw new FilterException("InvalidParameterValue", "FILTER", "distance must be a finite number >= 0");
            }
            return distance * DistanceUnits.metresPer(units);
        }
    }

    /** ResourceId: feature ids as clients see them ({@code parcels.123}). */
    record ResourceId(List<String> ids) implements Filter {
        public ResourceId {
            ids = List.copyOf(ids);
        }
    }
}
