package vn.landgis.fieldreports;

import java.time.OffsetDateTime;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import vn.landgis.platform.ApiProblem;

/**
 * Officers' side of field reports: a report with its reporter and history, the status workflow, the stored
 * photo; and the IOC's statistics. Errors as RFC 9457 problem details.
 */
@RestController
class ReportController {

    /** A status change: the new status and the notes the public will see. */
    record StatusChange(String status, String notes) {
    }

    /** Whether the public sees a report. */
    record Publication(Boolean published) {
    }

    private final ReportService reports;

    ReportController(ReportService reports) {
        this.reports = reports;
    }

    /** The officers' work list: Open311's filters, hidden reports too, with the reporter. */
    @GetMapping("/api/reports")
    @PreAuthorize("hasRole('LAND_OFFICER')")
    java.util.List<Map<String, Object>> list(@RequestParam(name = "service_request_id", required = false) String ids,
                                             @RequestParam(name = "service_code", required = false) String serviceCode,
                                             @RequestParam(name = "start_date", required = false) String start,
                                             @RequestParam(name = "end_date", required = false) String end,
                                             @RequestParam(required = false) String status,
                                             @RequestParam(required = false) String bbox,
                                             @RequestParam(required = false) String commune) {
        ReportService.Query q;
        try {
            q = reports.query(ids, serviceCode, start, end, status, bbox, commune);
        } catch (Open311Exception e) {
            throw ApiProblem.badRequest("invalid-query", e.getMessage());
        }
        return reports.findForOfficer(q, Open311Controller.mediaBase());
    }

    @GetMapping("/api/reports/{id:[0-9]{1,18}}")
    @PreAuthorize("hasRole('LAND_OFFICER')")
    Map<String, Object> report(@PathVariable long id) {
        return reports.officerView(id, Open311Controller.mediaBase())
                .orElseThrow(() -> ApiProblem.notFound("report-not-found", "Không có phản ánh " + id + " / no report " + id));
    }

    @PostMapping(path = "/api/reports/{id:[0-9]{1,18}}/status", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasRole('LAND_OFFICER')")
    Map<String, Object> status(@PathVariable long id, @RequestBody StatusChange change, Authentication auth) {
        if (change == null) {
            throw ApiProblem.badRequest("invalid-body", "Cần {\"status\": ..., \"notes\": ...} / body must be {\"status\": ..., \"notes\": ...}");
        }
        return reports.changeStatus(id, change.status(), change.notes(), auth.getName());
    }

    /** Hides a report from the public (spam, abuse) or shows it again. */
    @PostMapping(path = "/api/reports/{id:[0-9]{1,18}}/published", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasRole('LAND_OFFICER')")
    Map<String, Object> publish(@PathVariable long id, @RequestBody Publication p, Authentication auth) {
        if (p == null || p.published() == null) {
            throw ApiProblem.badRequest("invalid-body", "Cần {\"published\": true|false} / body must be {\"published\": true|false}");
        }
        reports.publish(id, p.published(), auth.getName());
        return Map.of("id", id, "published", p.published());
    }

    @GetMapping("/api/reports/{id:[0-9]{1,18}}/media")
    @PreAuthorize("hasRole('LAND_OFFICER')")
    ResponseEntity<byte[]> media(@PathVariable long id) {
        Map<String, Object> m = reports.media(id, true)
                .orElseThrow(() -> ApiProblem.notFound("media-not-found", "Phản ánh không có ảnh / the report has no photo"));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType((String) m.get("content_type")))
                .header("Cache-Control", "private, no-store").body((byte[]) m.get("bytes"));
    }

    /** Counts for the IOC over [from, to) (default: the last 30 days). */
    @GetMapping("/api/statistics/reports")
    @PreAuthorize("hasAnyRole('IOC', 'LAND_OFFICER', 'PLANNER')")
    Map<String, Object> statistics(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        OffsetDateTime end;
        OffsetDateTime start;
        try {
            end = to == null || to.isBlank() ? OffsetDateTime.now().plusSeconds(1) : ReportService.parseDate(to, "to");
            start = from == null || from.isBlank() ? end.minusDays(30) : ReportService.parseDate(from, "from");
        } catch (Open311Exception e) {
            throw ApiProblem.badRequest("invalid-date", e.getMessage());
        }
        if (!start.isBefore(end)) {
            throw ApiProblem.badRequest("invalid-date", "from phải trước to / from must be before to");
        }
        return reports.statistics(start, end);
    }
}
