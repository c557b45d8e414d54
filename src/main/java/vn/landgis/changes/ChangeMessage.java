package vn.landgis.changes;

import java.util.Optional;

import org.locationtech.jts.geom.Envelope;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import vn.landgis.cadastre.AdminBoundariesChanged;
import vn.landgis.cadastre.RegisterChanged;
import vn.landgis.fieldreports.ReportStatusChanged;
import vn.landgis.fieldreports.ReportSubmitted;
import vn.landgis.geo.SupportedCrs;
import vn.landgis.planning.PlansChanged;

/**
 * A change event as the text of a {@code NOTIFY} payload (JSON: the sending process, the kind, the numbers of the
 * event) and back. Decoding takes nothing on trust: any role that may connect to the database may notify the
 * channel, so an unknown kind, a system the service does not know, a coordinate that is not a finite number or an
 * extent turned inside out is no event.
 */
final class ChangeMessage {

    /** The channel every process of one database announces on and listens to. */
    static final String CHANNEL = "landgis_changes";
    /** PostgreSQL refuses payloads of 8 000 bytes or more; every message here is a few hundred. */
    static final int MAX_PAYLOAD = 7_999;

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ChangeMessage() {
    }

    /** What was heard: the event and the process that sent it. */
    record Heard(String from, Object event) {
    }

    /** The payload announcing {@code event} from process {@code from}; empty for an event no other process needs. */
    static Optional<String> encode(String from, Object event) {
        ObjectNode m = JSON.createObjectNode();
        m.put("from", from);
        switch (event) {
            case RegisterChanged e -> {
                m.put("kind", "register");
                m.put("id", e.changeId());
                extent(m, e.extent(), e.srid());
            }
            case AdminBoundariesChanged e -> {
                m.put("kind", "boundaries");
                extent(m, e.extent(), e.srid());
            }
            case PlansChanged e -> {
                m.put("kind", "plans");
                m.put("id", e.planId());
                extent(m, e.extent(), e.srid());
            }
            case ReportSubmitted e -> {
                m.put("kind", "report-submitted");
                m.put("id", e.reportId());
                m.put("lon", e.lon());
                m.put("lat", e.lat());
            }
            case ReportStatusChanged e -> {
                m.put("kind", "report-status");
                m.put("id", e.reportId());
                m.put("status", e.status());
                m.put("lon", e.lon());
                m.put("lat", e.lat());
            }
            default -> {
                return Optional.empty();
            }
        }
        String text = JSON.writeValueAsString(m);
        return text.length() > MAX_PAYLOAD ? Optional.empty() : Optional.of(text);
    }

    private static void extent(ObjectNode m, Envelope e, int srid) {
        m.put("srid", srid);
        if (e != null && !e.isNull()) {
            m.putArray("extent").add(e.getMinX()).add(e.getMinY()).add(e.getMaxX()).add(e.getMaxY());
        }
    }

    /** The event a payload announces, or empty when it is not one (malformed, unknown, out of range). */
    static Optional<Heard> decode(String payload) {
        if (payload == null || payload.isEmpty() || payload.length() > MAX_PAYLOAD) {
            return Optional.empty();
        }
        try {
            JsonNode m = JSON.readTree(payload);
            if (m == null || !m.isObject() || !m.path("from").isString() || !m.path("kind").isString()) {
                return Optional.empty();
            }
            String from = m.path("from").asString();
            if (from.length() > 100) {
                return Optional.empty();
            }
            Object event = switch (m.path("kind").asString()) {
                case "register" -> extentEvent(m, (e, srid) -> new RegisterChanged(id(m), e, srid));
                case "boundaries" -> extentEvent(m, AdminBoundariesChanged::new);
                case "plans" -> extentEvent(m, (e, srid) -> new PlansChanged(id(m), e, srid));
                case "report-submitted" -> finiteLonLat(m) ? new ReportSubmitted(id(m), m.get("lon").asDouble(), m.get("lat").asDouble()) : null;
                case "report-status" -> finiteLonLat(m) && m.path("status").isString() && m.path("status").asString().matches("[a-z_]{1,40}")
                        ? new ReportStatusChanged(id(m), m.path("status").asString(), m.get("lon").asDouble(), m.get("lat").asDouble()) : null;
                default -> null;
            };
            return event == null ? Optional.empty() : Optional.of(new Heard(from, event));
        } catch (RuntimeException e) {
            return Optional.empty();   // not JSON, or a member of another type than announced
        }
    }

    private static long id(JsonNode m) {
        JsonNode id = m.path("id");
        if (!id.canConvertToLong()) {
            throw new IllegalArgumentException("id");
        }
        return id.asLong();
    }

    private static boolean finiteLonLat(JsonNode m) {
        return m.path("lon").isNumber() && m.path("lat").isNumber()
                && Math.abs(m.get("lon").asDouble()) <= 180 && Math.abs(m.get("lat").asDouble()) <= 90;
    }

    private interface ExtentEvent {
        Object of(Envelope extent, int srid);
    }

    /** An event with an extent in a known system (none: nothing spatial changed), or null. */
    private static Object extentEvent(JsonNode m, ExtentEvent make) {
        if (!m.path("srid").canConvertToInt() || SupportedCrs.bySrid(m.path("srid").asInt()).isEmpty()) {
            return null;
        }
        int srid = m.path("srid").asInt();
        JsonNode x = m.path("extent");
        if (x.isMissingNode() || x.isNull()) {
            return make.of(null, srid);
        }
        if (!x.isArray() || x.size() != 4) {
            return null;
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            if (!x.get(i).isNumber() || !Double.isFinite(x.get(i).asDouble())) {
                return null;
            }
            v[i] = x.get(i).asDouble();
        }
        if (v[0] > v[2] || v[1] > v[3]) {
            return null;
        }
        return make.of(new Envelope(v[0], v[2], v[1], v[3]), srid);
    }
}
