package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import vn.landgis.geo.ReferenceCsv;

/**
 * Loads the reference tables from the CSV files under {@code reference/} (one source for the database and
 * the generator): land-use types with their national colours and the legacy codes that map onto them,
 * administrative units before and after the 2025 reform, and the old -> new commune succession.
 */
public class V4__Reference_data extends BaseJavaMigration {

    /** The TM-3 system that each former province drew its cadastral sheets in (DOMAIN.md). */
    private static final Map<String, Integer> SHEET_SRID_OF_PROVINCE = Map.of("72", 9209, "80", 9210, "82", 9210, "87", 5897);

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        Set<String> current = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO cadastre.land_use_type (code, name_vi, name_en, category, color) VALUES (?, ?, ?, ?, ?)")) {
            for (String[] r : csv("land_use_types.csv")) {
                ps.setString(1, r[0]);
                ps.setString(2, r[1]);
                ps.setString(3, r[2]);
                ps.setString(4, r[3]);
                ps.setString(5, r[4]);
                ps.addBatch();
                current.add(r[0]);
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO cadastre.land_use_type (code, name_vi, name_en, category, color, current, successor)
                SELECT ?, s.name_vi || ' (mã cũ)', s.name_en || ' (legacy code)', s.category, s.color, false, s.code
                FROM cadastre.land_use_type s WHERE s.code = ?""")) {
            for (String[] r : csv("legacy_land_use_codes.csv")) {
                if (!current.contains(r[0]) && !r[1].isBlank() && current.contains(r[1])) {
                    ps.setString(1, r[0]);
                    ps.setString(2, r[1]);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO cadastre.admin_unit_legacy (code, level, kind, name, parent_code, source_srid) VALUES (?, ?, ?, ?, ?, ?)""")) {
            List<String[]> rows = csv("admin_units_legacy.csv");
            Map<String, String> parent = new java.util.HashMap<>();
            rows.forEach(r -> parent.put(r[1], r[3]));
            for (String[] r : rows) {   // parents come first in the file
                String province = r[1];
                while (!parent.getOrDefault(province, "").isEmpty()) {
                    province = parent.get(province);
                }
                ps.setString(1, r[1]);
                ps.setString(2, r[0]);
                ps.setString(3, r[4]);
                ps.setString(4, r[2]);
                ps.setString(5, r[3].isEmpty() ? null : r[3]);
                Integer srid = SHEET_SRID_OF_PROVINCE.get(province);
                if (srid == null) {
                    ps.setNull(6, java.sql.Types.INTEGER);
                } else {
                    ps.setInt(6, srid);
                }
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO cadastre.admin_unit (code, level, kind, name, parent_code) VALUES (?, ?, ?, ?, ?)")) {
            for (String[] r : csv("admin_units_2025.csv")) {
                ps.setString(1, r[1]);
                ps.setString(2, r[0]);
                ps.setString(3, r[4]);
                ps.setString(4, r[2]);
                ps.setString(5, r[3].isEmpty() ? null : r[3]);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO cadastre.commune_succession (legacy_code, new_code) VALUES (?, ?)")) {
            for (String[] r : csv("commune_succession_2025.csv")) {
                ps.setString(1, r[0]);
                ps.setString(2, r[1]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static List<String[]> csv(String name) {
        return ReferenceCsv.read(name);
    }
}
