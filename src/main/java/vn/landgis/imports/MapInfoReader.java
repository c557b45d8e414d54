package vn.landgis.imports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import vn.landgis.geo.Ogr2Ogr;
import vn.landgis.geo.SupportedCrs;
import vn.landgis.geo.VietnameseEncoding;

/**
 * Reads a MapInfo table ({@code .tab} with its {@code .dat}/{@code .map}/{@code .id}, or {@code .mif}/{@code .mid})
 * of parcel regions: GDAL's {@code ogr2ogr} converts it into a temporary GeoPackage that {@link GeoPackageReader}
 * reads. District tables are often TCVN3 or VNI text declared as "Neutral" or a Latin charset: GDAL carries such
 * bytes through unchanged, and the text is decided here from the bytes ({@link VietnameseEncoding#detect}), unless the
 * manifest names the encoding. The CRS comes from the table's CoordSys as GDAL translates it.
 */
final class MapInfoReader implements DeliveryReader {

    private final Path tmp;
    private final GeoPackageReader converted;
    private final EncodingChoice encoding;
    private final int srid;

    MapInfoReader(Path table, VietnameseEncoding forced) throws IOException {
        tmp = Files.createTempDirectory("mapinfo");
        Path gpkg = tmp.resolve("converted.gpkg");
        try {
            Ogr2Ogr.convert("GPKG", gpkg, table, List.of("-nln", "parcels", "-nlt", "PROMOTE_TO_MULTI"), Ogr2Ogr.DEFAULT_TIMEOUT);
            byte[] sample;
            int declared;
            try (GeoPackageReader probe = new GeoPackageReader(gpkg)) {
                sample = probe.textSample(1 << 16);
                declared = probe.declaredSrid();
                if (SupportedCrs.bySrid(declared).isEmpty()) {
                    declared = PrjInterpreter.srid(probe.srsDefinition());
                }
            }
            srid = declared;
            VietnameseEncoding.Detection detected = VietnameseEncoding.detect(sample);
            encoding = EncodingChoice.choose(detected, forced, null, "", "the MapInfo table declares no usable charset");
            converted = new GeoPackageReader(gpkg, List.of("parcels"), "parcel", encoding.encoding()::decode);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public int declaredSrid() {
        return srid;
    }

    @Override
    public String encodingNote() {
        return encoding.toString();
    }

    @Override
    public long featureCount() {
        return converted.featureCount();
    }

    @Override
    public void forEach(Consumer<SourceFeature> feature) throws IOException {
        converted.forEach(feature);
    }

    @Override
    public void close() throws IOException {
        if (converted != null) {
            converted.close();
        }
        try (var files = Files.list(tmp)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(tmp);
    }
}
