package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The reading's look-up answers as {@link ColumnMapping#get} does, feature after feature, whatever the columns. */
class ColumnMappingTest {

    @Test
    void theLookupAnswersAsGetOnFeaturesWhoseColumnsVary() {
        ColumnMapping mapping = ColumnMapping.defaults();
        ColumnMapping.Lookup lookup = mapping.lookup();
        // names of a field under different spellings, two that simplify alike (So_To, SoTo), and unrelated ones
        List<String> names = List.of("MaXa", "SoTo", "So_To", "SỐ TỜ", "SoThua", "MucDichSD", "DienTich", "DiaChi", "TenChu", "Ghi chú", "ID");
        List<String> fields = List.of(ColumnMapping.COMMUNE, ColumnMapping.SHEET, ColumnMapping.PARCEL, ColumnMapping.LAND_USE,
                ColumnMapping.LEGAL_AREA, ColumnMapping.ADDRESS, ColumnMapping.OWNER);
        Random random = new Random(3);
        Map<String, String> previous = null;
        for (int n = 0; n < 5_000; n++) {
            Map<String, String> attributes;
            if (previous != null && random.nextInt(3) > 0) {
                attributes = new LinkedHashMap<>();   // the same columns in the same order, new values: the usual case
                for (String key : previous.keySet()) {
                    attributes.put(key, random.nextInt(5) == 0 ? null : key + n);
                }
            } else {
                List<String> shuffled = new ArrayList<>(names);
                java.util.Collections.shuffle(shuffled, random);
                attributes = new LinkedHashMap<>();
                for (String key : shuffled.subList(0, random.nextInt(shuffled.size() + 1))) {
                    attributes.put(key, random.nextInt(5) == 0 ? null : key + n);
                }
            }
            for (String field : fields) {
                assertThat(lookup.get(attributes, field)).as("%s in %s", field, attributes).isEqualTo(mapping.get(attributes, field));
            }
            previous = attributes;
        }
    }
}
