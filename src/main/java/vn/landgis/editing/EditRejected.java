package vn.landgis.editing;

import java.util.List;
import java.util.Map;

/**
 * An edit refused before anything was written: a malformed request (400), an unknown version (404), a conflict
 * with a change made meanwhile (409, with the current state of what the client edited), or broken rules (422,
 * with every violation and its location).
 */
public class EditRejected extends RuntimeException {

    public enum Reason {
        INVALID(400), NOT_FOUND(404), CONFLICT(409), RULES(422);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Reason reason;
    private final String code;
    private final transient List<Violation> violations;
    private final transient List<Map<String, Object>> current;

    public EditRejected(Reason reason, String code, String message, List<Violation> violations, List<Map<String, Object>> current) {
        super(message);
        this.reason = reason;
        this.code = code;
        this.violations = List.copyOf(violations);
        this.current = List.copyOf(current);
    }

    static EditRejected invalid(String code, String message) {
        return new EditRejected(Reason.INVALID, code, message, List.of(), List.of());
    }

    static EditRejected notFound(String message) {
        return new EditRejected(Reason.NOT_FOUND, "version-not-found", message, List.of(), List.of());
    }

    static EditRejected rules(List<Violation> violations) {
        return new EditRejected(Reason.RULES, "rule-violations", violations.size()
                + " quy tắc bị vi phạm / " + violations.size() + " rules broken: "
                + String.join("; ", violations.stream().map(v -> v.rule() + " (" + v.message() + ")").toList()), violations, List.of());
    }

    public Reason reason() {
        return reason;
    }

    public String code() {
        return code;
    }

    public List<Violation> violations() {
        return violations;
    }

    /** For a conflict: the versions edited meanwhile, who closed them, and what is current now. */
    public List<Map<String, Object>> current() {
        return current;
    }
}
