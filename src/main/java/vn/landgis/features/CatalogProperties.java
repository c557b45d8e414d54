package vn.landgis.features;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The published layers as configured under {@code landgis.catalog}. Adding a layer is a configuration change:
 * a view in schema {@code ows} and an entry here.
 *
 * @param layers the layers, in the order clients list them
 */
@ConfigurationProperties("landgis.catalog")
public record CatalogProperties(List<LayerDefinition> layers) {

    public CatalogProperties {
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    /**
     * One layer.
     *
     * @param name            the OGC name (WMS layer, WFS feature type, tile set): lower case, digits, underscore
     * @param title           Vietnamese title
     * @param titleEn         English title
     * @param abstractText    a sentence on what it shows
     * @param relation        {@code schema.view} holding the current features
     * @param historyRelation optional {@code schema.view} holding every version with {@code valid_from}/{@code valid_to}
     * @param geometry        geometry column
     * @param id              unique id column
     * @param style           default style name (a file in {@code styles/})
     * @param styles          other styles clients may ask for
     * @param minScale        shown at scales 1:minScale and larger (null: no limit)
     * @param maxScale        shown up to 1:maxScale (null: no limit); smaller scales draw nothing
     * @param queryable       GetFeatureInfo allowed
     * @param roles           roles that see the layer at all; empty: everyone
     * @param keywords        keywords for the capabilities
     * @param attributes      the published attributes; nothing else is ever selected
     */
    public record LayerDefinition(String name, String title, String titleEn, String abstractText, String relation,
                                  String historyRelation, String geometry, String id, String style, List<String> styles,
                                  Double minScale, Double maxScale, Boolean queryable, List<String> roles,
                                  List<String> keywords, List<AttributeDefinition> attributes) {
        public LayerDefinition {
            styles = styles == null ? List.of() : List.copyOf(styles);
            roles = roles == null ? List.of() : List.copyOf(roles);
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
            attributes = attributes == null ? List.of() : List.copyOf(attributes);
            geometry = geometry == null ? "geom" : geometry;
            id = id == null ? "id" : id;
            queryable = queryable == null || queryable;
        }
    }

    /**
     * One attribute: a column of the layer's view.
     *
     * @param name  column name, also the attribute name clients see
     * @param title Vietnamese label for feature-info pages
     * @param roles roles that see it; empty: everyone who sees the layer
     */
    public record AttributeDefinition(String name, String title, List<String> roles) {
        public AttributeDefinition {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }
}
