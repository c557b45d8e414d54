package vn.landgis.geo;

import java.util.Arrays;
import java.util.Optional;

/**
 * The VN-2000 / TM-3 projected systems of the southern provinces that landgis serves, by EPSG code.
 * Cadastral sheets keep the central meridian of the former province they were drawn in (DOMAIN.md).
 */
public enum Vn2000Tm3 {
    /** Former Đồng Tháp and others. */
    ZONE_482(5897, 105.0),
    /** Former Tây Ninh. */
    TM3_105_30(9209, 105.5),
    /** Former Long An and Tiền Giang; the storage CRS of the new Tây Ninh. */
    TM3_105_45(9210, 105.75);

    private final int srid;
    private final TransverseMercator projection;

    Vn2000Tm3(int srid, double centralMeridian) {
        this.srid = srid;
        this.projection = TransverseMercator.vn2000Tm3(centralMeridian);
    }

    public int srid() {
        return srid;
    }

    public double centralMeridian() {
        return projection.centralMeridian();
    }

    public TransverseMercator projection() {
        return projection;
    }

    /** WGS 84 {lon, lat} to {easting, northing} of this system, through the official datum shift. */
    public double[] fromWgs84(double lon, double lat) {
        double[] vn = Vn2000.fromWgs84(lon, lat);
        return projection.forward(vn[0], vn[1]);
    }

    /** {easting, northing} of this system to WGS 84 {lon, lat}. */
    public double[] toWgs84(double easting, double northing) {
        double[] vn = projection.inverse(easting, northing);
        return Vn2000.toWgs84(vn[0], vn[1]);
    }

    public static Optional<Vn2000Tm3> bySrid(int srid) {
        return Arrays.stream(values()).filter(z -> z.srid == srid).findFirst();
    }
}
