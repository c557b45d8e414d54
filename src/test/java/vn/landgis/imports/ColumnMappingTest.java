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

    /** Headers as people write them in Vietnamese (sổ mục kê sheets, QGIS layers), with diacritics and spaces. */
    @Test
    void vietnameseHeadersWithDiacriticsFindTheirFields() {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("Mã xã", "25456");
        row.put("Số hiệu tờ", "12");
        row.put("Số thửa", "45");
        row.put("Mục đích sử dụng", "ONT+CLN");
        row.put("Diện tích pháp lý", "245,6");
        row.put("Địa chỉ thửa đất", "Ấp 3");
        row.put("Tên chủ sử dụng", "Nguyễn Văn A");
        ColumnMapping mapping = ColumnMapping.defaults();
        assertThat(mapping.get(row, ColumnMapping.COMMUNE)).isEqualTo("25456");
        assertThat(mapping.get(row, ColumnMapping.SHEET)).isEqualTo("12");
        assertThat(mapping.get(row, ColumnMapping.PARCEL)).isEqualTo("45");
        assertThat(mapping.get(row, ColumnMapping.LAND_USE)).isEqualTo("ONT+CLN");
        assertThat(mapping.get(row, ColumnMapping.LEGAL_AREA)).isEqualTo("245,6");
        assertThat(mapping.get(row, ColumnMapping.ADDRESS)).isEqualTo("Ấp 3");
        assertThat(mapping.get(row, ColumnMapping.OWNER)).isEqualTo("Nguyễn Văn A");
        // a unit in parentheses is no part of the name; notes that set columns apart are, and no guess is made between them
        Map<String, String> two = new LinkedHashMap<>();
        two.put("Diện tích (bản đồ)", "250.1");
        two.put("Diện tích (GCN)", "245,6");
        two.put("Số thửa (cũ)", "12");
        two.put("Số thửa (mới)", "45");
        two.put("Số tờ (m)", "3");
        assertThat(mapping.get(two, ColumnMapping.LEGAL_AREA)).isEqualTo("245,6");
        assertThat(mapping.get(two, ColumnMapping.PARCEL)).isNull();
        assertThat(mapping.get(two, ColumnMapping.SHEET)).isEqualTo("3");
        assertThat(mapping.lookup().get(two, ColumnMapping.LEGAL_AREA)).isEqualTo("245,6");
    }

    /** A Shapefile's field names cut to the .dbf's ten characters still find their fields; a cut that two names share does not guess. */
    @Test
    void namesCutToTenCharactersByTheDbfAreFound() {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("MaDonViHan", "25456");
        row.put("SoHieuToBa", "12");
        row.put("SoThuTuThu", "45");
        row.put("MucDichSuD", "ONT");
        row.put("DienTichPh", "245.6");
        row.put("TenChuSuDu", "Nguyễn Văn A");
        ColumnMapping mapping = ColumnMapping.defaults();
        assertThat(mapping.get(row, ColumnMapping.COMMUNE)).isEqualTo("25456");
        assertThat(mapping.get(row, ColumnMapping.SHEET)).isEqualTo("12");
        assertThat(mapping.get(row, ColumnMapping.PARCEL)).isEqualTo("45");
        assertThat(mapping.get(row, ColumnMapping.LAND_USE)).isEqualTo("ONT");
        assertThat(mapping.get(row, ColumnMapping.LEGAL_AREA)).isEqualTo("245.6");
        assertThat(mapping.get(row, ColumnMapping.OWNER)).isEqualTo("Nguyễn Văn A");
        // two long names cut alike, the second numbered by the writer: neither taken for a guess
        Map<String, String> twice = new LinkedHashMap<>();
        twice.put("MucDichSuD", "ODT");   // MucDichSuDungQH, the planned use, written first
        twice.put("MucDichS_1", "ONT");
        twice.put("SoHieuToBa", "12");
        assertThat(mapping.get(twice, ColumnMapping.LAND_USE)).isNull();
        assertThat(mapping.get(twice, ColumnMapping.SHEET)).isEqualTo("12");
        // a short name is no cut; a full match wins over a cut one
        assertThat(mapping.get(Map.of("MucDi", "ONT"), ColumnMapping.LAND_USE)).isNull();
        assertThat(mapping.get(new LinkedHashMap<>(Map.of("DienTich", "250.0", "DienTichPh", "245.6")), ColumnMapping.LEGAL_AREA)).isEqualTo("250.0");
    }
}
