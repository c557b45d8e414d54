package vn.landgis.imports;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One delivery in several parcel files (a district's communes each in a file of their own, "ThuaDat_25456.shp",
 * "ThuaDat_25459.shp"), read as one: one after the other, their features numbered on from the last file's, their
 * extents joined. The files must declare the same CRS (or none); a file that declares another is refused before
 * anything is read.
 */
final class SeveralFiles implements DeliveryReader {

    private final List<DeliveryReader> parts;

    SeveralFiles(List<DeliveryReader> parts, List<String> names) throws IOException {
        this.parts = parts;
        int srid = 0;
        String first = null;
        for (int i = 0; i < parts.size(); i++) {
            int declared = parts.get(i).declaredSrid();
            if (declared != 0 && srid != 0 && declared != srid) {
                throw new IOException("the parcel files declare different CRSs: " + first + " EPSG:" + srid + ", " + names.get(i) + " EPSG:" + declared
                        + "; deliver them in one system, or one at a time");
            }
            if (declared != 0 && srid == 0) {
                srid = declared;
                first = names.get(i);
            }
        }
    }

    @Override
    public int declaredSrid() {
        return parts.stream().mapToInt(DeliveryReader::declaredSrid).filter(s -> s != 0).findFirst().orElse(0);
    }

    @Override
    public String encodingNote() {
        return String.join("; ", parts.stream().map(DeliveryReader::encodingNote).filter(n -> n != null && !n.isEmpty()).distinct().toList());
    }

    @Override
    public String[] encodingDoubt() {
        return parts.stream().map(DeliveryReader::encodingDoubt).filter(d -> d != null).findFirst().orElse(null);
    }

    /** The files' extents joined, or null when one of them does not say its own. */
    @Override
    public double[] extent() {
        double[] all = null;
        for (DeliveryReader part : parts) {
            double[] e = part.extent();
            if (e == null) {
                return null;
            }
            all = all == null ? e.clone() : new double[] {Math.min(all[0], e[0]), Math.min(all[1], e[1]), Math.max(all[2], e[2]), Math.max(all[3], e[3])};
        }
        return all;
    }

    @Override
    public long featureCount() {
        long sum = 0;
        for (DeliveryReader part : parts) {
            long n = part.featureCount();
            if (n < 0) {
                return -1;
            }
            sum += n;
        }
        return sum;
    }

    @Override
    public List<String[]> sheetScales() {
        List<String[]> all = new ArrayList<>();
        parts.forEach(p -> all.addAll(p.sheetScales()));
        return all;
    }

    @Override
    public void forEach(Consumer<SourceFeature> feature) throws IOException {
        int[] offset = {0};
        for (DeliveryReader part : parts) {
            int[] last = {0};
            part.forEach(f -> {
                last[0] = Math.max(last[0], f.featureNo());
                feature.accept(offset[0] == 0 ? f : new SourceFeature(offset[0] + f.featureNo(), f.attributes(), f.polygons()));
            });
            offset[0] += last[0];
        }
    }

    @Override
    public List<Finding> findings() {
        List<Finding> all = new ArrayList<>();
        parts.forEach(p -> all.addAll(p.findings()));
        return all;
    }

    @Override
    public void close() throws IOException {
        IOException failed = null;
        for (DeliveryReader part : parts) {
            try {
                part.close();
            } catch (IOException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
