package vn.landgis.imports;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A delivery whose coordinates have X and Y the other way round, read the right way: Vietnamese surveying writes X
 * for the northing and Y for the easting, and files made from survey tables or coordinate lists keep that order, so
 * a parcel at easting 565 000, northing 1 250 000 is written (1 250 000, 565 000). The manifest's {@code swapAxes}
 * asks for it; {@link ImportService} finds such files by their extent (the {@code axes-swapped} error).
 * Every vertex, the extent and the reader's own findings are swapped; nothing else changes.
 */
final class SwappedAxes implements DeliveryReader {

    private final DeliveryReader source;

    SwappedAxes(DeliveryReader source) {
        this.source = source;
    }

    /** {minX, minY, maxX, maxY} with X and Y exchanged; null stays null. */
    static double[] swap(double[] extent) {
        return extent == null ? null : new double[] {extent[1], extent[0], extent[3], extent[2]};
    }

    @Override
    public int declaredSrid() {
        return source.declaredSrid();
    }

    @Override
    public String encodingNote() {
        return source.encodingNote();
    }

    @Override
    public String[] encodingDoubt() {
        return source.encodingDoubt();
    }

    @Override
    public double[] extent() {
        return swap(source.extent());
    }

    @Override
    public long featureCount() {
        return source.featureCount();
    }

    @Override
    public List<String[]> sheetScales() {
        return source.sheetScales();
    }

    @Override
    public void forEach(Consumer<SourceFeature> feature) throws IOException {
        source.forEach(f -> {
            List<double[][]> polygons = new ArrayList<>(f.polygons().size());
            for (double[][] polygon : f.polygons()) {
                double[][] rings = new double[polygon.length][];
                for (int r = 0; r < polygon.length; r++) {
                    double[] ring = polygon[r];
                    double[] swapped = new double[ring.length];
                    for (int i = 0; i + 1 < ring.length; i += 2) {
                        swapped[i] = ring[i + 1];
                        swapped[i + 1] = ring[i];
                    }
                    rings[r] = swapped;
                }
                polygons.add(rings);
            }
            feature.accept(new SourceFeature(f.featureNo(), f.attributes(), polygons));
        });
    }

    @Override
    public List<Finding> findings() {
        return source.findings().stream().map(f -> new Finding(f.severity(), f.rule(), f.commune(), f.sheet(), f.parcel(), f.y(), f.x(),
                f.messageVi(), f.messageEn())).toList();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
