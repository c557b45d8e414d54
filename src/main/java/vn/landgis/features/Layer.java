package vn.landgis.features;

import java.util.List;
import java.util.Optional;

import vn.landgis.features.CatalogProperties.LayerDefinition;

/**
 * A layer of the catalog as checked against the database: its definition, the SRID and type of its geometry
 * column, and its attributes with their database types. Immutable.
 *
 * @param definition   as configured
 * @param srid         the geometry column's SRID
 * @param geometryType PostGIS geometry type of the column (MULTIPOLYGON, POINT, ...)
 * @param idType       PostgreSQL type of the id column
 * @param attributes   the published attributes, in configured order
 */
public record Layer(LayerDefinition definition, int srid, String geometryType, String idType, List<Attribute> attributes) {

    /**
     * A published attribute.
     *
     * @param name   column and attribute name
     * @param title  Vietnamese label
     * @param dbType PostgreSQL type name ({@code integer}, {@code text}, {@code numeric}, {@code timestamp with time zone} ...)
     * @param roles  roles that see it; empty: all who see the layer
     */
    public record Attribute(String name, String title, String dbType, List<String> roles) {
    }

    public String name() {
        return definition.name();
    }

    public boolean hasHistory() {
        return definition.historyRelation() != null;
    }

    /** The attributes this viewer may see. */
    public List<Attribute> attributesFor(Viewer viewer) {
        return attributes.stream().filter(a -> viewer.mayAccess(a.roles())).toList();
    }

    public Optional<Attribute> attribute(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** True when the layer is drawn at this scale denominator. */
    public boolean visibleAt(double scaleDenominator) {
        Double min = definition.minScale();
        Double max = definition.maxScale();
        return (min == null || scaleDenominator >= min) && (max == null || scaleDenominator < max);
    }

    /** Every style a client may ask for, the default first. */
    public List<String> styleNames() {
        List<String> names = new java.util.ArrayList<>();
        if (definition.style() != null) {
            names.add(definition.style());
        }
        for (String s : definition.styles()) {
            if (!names.contains(s)) {
                names.add(s);
            }
        }
        return names;
    }
}
