package vn.landgis.planning;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import vn.landgis.cadastre.ParcelLookup;
import vn.landgis.platform.ApiProblem;

/** Land statistics for people and for the IOC: JSON, and a workbook with a chart. Aggregates only, public. */
@RestController
class StatisticsController {

    private final LandStatistics statistics;

    StatisticsController(LandStatistics statistics) {
        this.statistics = statistics;
    }

    @GetMapping(path = "/api/statistics/land-use", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> landUse(@RequestParam(required = false) String asOf, @RequestParam(required = false) String commune,
                                @RequestParam(required = false) String units) {
        return statistics.landUseAnswer(ParcelLookup.parseAsOf(asOf), commune(commune), units);
    }

    @GetMapping("/api/statistics/land-use.xlsx")
    ResponseEntity<byte[]> landUseXlsx(@RequestParam(required = false) String asOf, @RequestParam(required = false) String commune,
                                       @RequestParam(required = false) String units) {
        statistics.landUseAnswer(null, "0", units);   // validates units cheaply (no commune "0")
        java.time.OffsetDateTime at = ParcelLookup.parseAsOf(asOf);
        // the file's name says what it holds: two downloads of other days or units could not be told apart
        String name = "thong-ke-dat-dai" + (at == null ? "" : "-" + at.atZoneSameInstant(java.time.ZoneId.of("Asia/Ho_Chi_Minh")).toLocalDate())
                + ("2025".equals(units) ? "-xa-2025" : "") + (commune(commune) == null ? "" : "-" + commune) + ".xlsx";
        return ResponseEntity.ok().contentType(PlanningController.XLSX)
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .body(statistics.workbook(at, commune(commune), units));
    }

    @GetMapping(path = "/api/statistics/planned-vs-current", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> plannedVsCurrent(@RequestParam(required = false) String commune, @RequestParam(required = false) String asOf,
                                         @RequestParam(required = false) String units) {
        if (asOf != null || units != null) {
            // today's register over today's plans only: a date or the 2025 units were ignored, today's answer given as theirs
            throw ApiProblem.badRequest("unsupported-parameter", "Quy hoạch so với hiện trạng chỉ tính cho hiện tại, theo xã trước 1/7/2025 (không nhận asOf, units) "
                    + "/ planned against current use is for today and the communes before 1 July 2025 only (asOf and units are not taken)");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("areaUnit", "m²");
        m.put("rows", statistics.plannedVsCurrent(commune(commune)));
        return m;
    }

    private static String commune(String code) {
        if (code == null || code.isBlank()) {
            return null;
        }
        if (!code.matches("[0-9]{5}")) {
            throw ApiProblem.badRequest("invalid-commune", "Mã xã gồm 5 chữ số / a commune code has five digits");
        }
        return code;
    }
}
