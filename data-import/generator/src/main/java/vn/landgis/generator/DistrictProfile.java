package vn.landgis.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import vn.landgis.geo.ReferenceCsv;
import vn.landgis.geo.Vn2000Tm3;

/**
 * A real former district (codes and names from the GSO list in {@code reference/admin_units_legacy.csv})
 * that the generator fills with synthetic land. The location and the TM-3 system are the real ones:
 * the generated sheets land where that district is, in the system its sheets were drawn in.
 */
public record DistrictProfile(String code, String name, String provinceCode, Vn2000Tm3 sourceCrs,
                              double centerLon, double centerLat, List<Commune> communes) {

    public record Commune(String code, String name, String kind) {
        public boolean urban() {
            return kind.equals("ward") || kind.equals("town");
        }
    }

    /** Centre (WGS 84) and sheet CRS of the districts known to the generator. */
    private static final Map<String, Object[]> PLACES = Map.of(
            "794", new Object[] {106.413, 10.535, Vn2000Tm3.TM3_105_45},   // Thành phố Tân An, former Long An
            "703", new Object[] {106.100, 11.310, Vn2000Tm3.TM3_105_30},   // Thành phố Tây Ninh, former Tây Ninh
            "815", new Object[] {106.365, 10.360, Vn2000Tm3.TM3_105_45});  // Thành phố Mỹ Tho, former Tiền Giang

    public static List<String> knownCodes() {
        return PLACES.keySet().stream().sorted().toList();
    }

    public static DistrictProfile load(String districtCode) {
        Object[] place = PLACES.get(districtCode);
        if (place == null) {
            throw new IllegalArgumentException("no generator profile for district " + districtCode + "; known: " + knownCodes());
        }
        String name = null;
        String province = null;
        List<Commune> communes = new ArrayList<>();
        for (String[] row : ReferenceCsv.read("admin_units_legacy.csv")) {
            if (row[0].equals("district") && row[1].equals(districtCode)) {
                name = row[2];
                province = row[3];
            } else if (row[0].equals("commune") && row[3].equals(districtCode)) {
                communes.add(new Commune(row[1], row[2], row[4]));
            }
        }
        if (name == null || communes.isEmpty()) {
            throw new IllegalStateException("district " + districtCode + " missing from reference/admin_units_legacy.csv");
        }
        return new DistrictProfile(districtCode, name, province, (Vn2000Tm3) place[2], (double) place[0], (double) place[1],
                List.copyOf(communes));
    }
}
