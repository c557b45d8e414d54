package vn.landgis.imports;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/** Reads the parcels layer of one delivered file, streaming, one feature at a time. */
interface DeliveryReader extends Closeable {

    /** The EPSG code the file declares (from .prj or the GeoPackage's srs), or 0 when it declares none. */
    int declaredSrid();

    /** What the reader decided about the text encoding, for the report; empty when there was nothing to decide. */
    default String encodingNote() {
        return "";
    }

    /**
     * {Vietnamese, English} when the reader could not be sure of the text's encoding ({@link EncodingChoice}), for a
     * warning in the findings; null when it was sure or had nothing to decide.
     */
    default String[] encodingDoubt() {
        return null;
    }

    /**
     * The extent of the features as the file writes it ({minX, minY, maxX, maxY} in its own coordinates), when the
     * format says it up front (a Shapefile's header, a GeoPackage's contents), else null: for recognising the CRS
     * of a delivery that declares none.
     */
    default double[] extent() {
        return null;
    }

    /** The number of features, when the format knows it up front (for progress), else -1. */
    long featureCount();

    /** The map sheets' scales by (commune, sheet) when the delivery carries a sheets layer. */
    default List<String[]> sheetScales() {
        return List.of();
    }

    void forEach(Consumer<SourceFeature> feature) throws IOException;

    /**
     * What the reader itself found while reading (lines that close no parcel, register rows without geometry,
     * ...), complete once {@link #forEach} has returned. {@code x}, {@code y} in the source CRS, NaN when the
     * finding has no place.
     */
    default List<Finding> findings() {
        return List.of();
    }

    /** A finding of the reader, in the terms of {@code staging.finding}. */
    record Finding(String severity, String rule, String commune, Integer sheet, Integer parcel, double x, double y,
                   String messageVi, String messageEn) {
    }
}
