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
    private final List<String> names;
    /** Each file's commune as its name gives it, or null: for its features that carry none. */
    private final List<String> communes;
    private final ColumnMapping columns;
    private final List<Finding> named = new ArrayList<>();

    SeveralFiles(List<DeliveryReader> parts, List<String> names) throws IOException {
        this(parts, names, java.util.Collections.nCopies(parts.size(), null), ColumnMapping.defaults());
    }

    /**
     * {@code communes}: the commune each file's name gives ("ThuaDat_25456.shp"), or null, given to the file's features
     * that carry none (one note a file).
     */
    SeveralFiles(List<DeliveryReader> parts, List<String> names, List<String> communes, ColumnMapping columns) throws IOException {
        this.parts = parts;
        this.names = names;
        this.communes = communes;
        this.columns = columns;
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
        for (int i = 0; i < parts.size(); i++) {
            int[] last = {0};
            int[] given = {0};
            String commune = communes.get(i);
            ColumnMapping.Lookup lookup = columns.lookup();
            parts.get(i).forEach(f -> {
                last[0] = Math.max(last[0], f.featureNo());
                java.util.Map<String, String> attributes = f.attributes();
                if (commune != null) {
                    String own = lookup.get(attributes, ColumnMapping.COMMUNE);
                    if (own == null || own.isBlank()) {
                        attributes = new java.util.LinkedHashMap<>(attributes);
                        columns.put(attributes, ColumnMapping.COMMUNE, commune);
                        given[0]++;
                    }
                }
                feature.accept(offset[0] == 0 && attributes == f.attributes() ? f : new SourceFeature(offset[0] + f.featureNo(), attributes, f.polygons()));
            });
            // which features came from which file, for the findings that name a feature number
            named.add(new Finding("info", "file-features", commune, null, null, Double.NaN, Double.NaN,
                    "Tệp " + names.get(i) + ": đối tượng " + (offset[0] + 1) + "–" + (offset[0] + last[0]),
                    "file " + names.get(i) + ": features " + (offset[0] + 1) + "-" + (offset[0] + last[0])));
            offset[0] += last[0];
            if (given[0] > 0) {
                named.add(new Finding("info", "commune-from-file-name", commune, null, null, Double.NaN, Double.NaN,
                        "Tệp " + names.get(i) + ": " + given[0] + " thửa không có mã xã; lấy mã xã " + commune + " theo tên tệp",
                        "file " + names.get(i) + ": " + given[0] + " parcels carry no commune code; " + commune + " taken from the file's name"));
            }
        }
    }

    @Override
    public List<Finding> findings() {
        List<Finding> all = new ArrayList<>();
        parts.forEach(p -> all.addAll(p.findings()));
        all.addAll(named);
        return all;
    }

    @Override
    public void close() throws IOException {
        IOException failed = null;
        for (DeliveryReader part : parts) {
            try {
                part.close();
            } catch (IOException | RuntimeException e) {
                if (failed == null) {
                    failed = e instanceof IOException io ? io : new IOException(e);
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
