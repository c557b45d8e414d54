package vn.landgis.editing;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tolerances of the topology rules ({@code landgis.editing.*}), in storage-CRS metres.
 *
 * @param snapToleranceM   a vertex this close to a neighbour's vertex or edge is snapped onto it (a line drawn in
 *                         WGS 84 on a web map comes back a few millimetres off the stored boundary)
 * @param sliverM2         overlaps and gaps up to this area are rounding noise, not a broken rule
 * @param minParcelAreaM2  no edit may leave a parcel smaller than this (a provincial decision sets the minimum
 *                         area of a split per land use; this is the floor below which a polygon is a sliver)
 * @param maxParcels       at most this many parcels in one edit (a WFS-T Update or Delete by filter)
 */
@ConfigurationProperties("landgis.editing")
public record EditingProperties(Double snapToleranceM, Double sliverM2, Double minParcelAreaM2, Integer maxParcels) {

    public EditingProperties {
        snapToleranceM = snapToleranceM == null ? 0.05 : snapToleranceM;
        sliverM2 = sliverM2 == null ? 0.01 : sliverM2;
        minParcelAreaM2 = minParcelAreaM2 == null ? 5.0 : minParcelAreaM2;
        maxParcels = maxParcels == null ? 500 : maxParcels;
    }
}
