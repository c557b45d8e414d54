package vn.landgis.features;

import java.util.function.Consumer;

/**
 * Reads features of a catalog layer. Implementations stream: the consumer sees each feature as it is read, so
 * memory does not grow with the result. Thread-safe.
 */
public interface FeatureSource {

    /** Streams the features the query selects to {@code sink}; returns how many were streamed. */
    long read(FeatureQuery query, Consumer<Feature> sink);

    /** How many features the query selects (ignoring limit and offset). */
    long count(FeatureQuery query);
}
