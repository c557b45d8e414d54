package vn.landgis.fieldreports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The report categories (Open311 services) of {@code fieldreports.service}, and the routing of a category in a
 * commune to the unit that handles it ({@code fieldreports.routing}, the row without a commune being the
 * category's default). The categories are read again when the last read is older than {@link #TTL_MILLIS}
 * (an edit in the table applies within that time); routing is read on each call.
 */
@Component
class ServiceCatalog {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /** One attribute of a service definition. */
    record Attribute(String code, String datatype, boolean required, String description, List<Map<String, String>> values) {
    }

    /** One category. */
    record Service(String code, String nameVi, String nameEn, String description, String group, String keywords,
                   String department, int deadlineHours, List<Attribute> attributes) {
    }

    static final long TTL_MILLIS = 30_000;

    private record Snapshot(List<Service> services, long readAt) {
    }

    private final JdbcTemplate jdbc;
    private volatile Snapshot snapshot;

    ServiceCatalog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<Service> all() {
        Snapshot s = snapshot;
        long now = System.currentTimeMillis();
        if (s == null || now - s.readAt() > TTL_MILLIS) {
            s = new Snapshot(List.copyOf(read()), now);
            snapshot = s;
        }
        return s.services();
    }

    private List<Service> read() {
        return jdbc.query("""
                SELECT code, name_vi, name_en, description, group_name, keywords, department, deadline_hours, attributes::text
                FROM fieldreports.service WHERE active ORDER BY sort_order, code""", (rs, i) -> new Service(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getInt(8), attributes(rs.getString(9))));
    }

    Optional<Service> find(String code) {
        return code == null ? Optional.empty() : all().stream().filter(s -> s.code().equals(code)).findFirst();
    }

    /**
     * A scalar sub-query for the unit that handles a category in a commune, else the category's default; its
     * parameters in order: service code, new commune code, old commune code, new commune code, service code,
     * service code.
     */
    static final String ROUTE = """
            coalesce(
                (SELECT unit FROM fieldreports.routing WHERE service_code = ? AND commune_code IN (?, ?)
                  ORDER BY commune_code = ? DESC LIMIT 1),
                (SELECT unit FROM fieldreports.routing WHERE service_code = ? AND commune_code IS NULL),
                (SELECT department FROM fieldreports.service WHERE code = ?))""";

    private static List<Attribute> attributes(String json) {
        List<Attribute> out = new ArrayList<>();
        for (JsonNode a : MAPPER.readTree(json)) {
            List<Map<String, String>> values = new ArrayList<>();
            for (JsonNode v : a.path("values")) {
                Map<String, String> value = new LinkedHashMap<>();
                value.put("key", v.path("key").asString());
                value.put("name", v.path("name").asString());
                values.add(value);
            }
            out.add(new Attribute(a.path("code").asString(), a.path("datatype").asString(), a.path("required").asBoolean(),
                    a.path("description").asString(), values));
        }
        return out;
    }
}
