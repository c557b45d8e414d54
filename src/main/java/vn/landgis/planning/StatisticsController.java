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
        return ResponseEntity.ok().contentType(PlanningController.XLSX)
                .header("Content-Disposition", "attachment; filename=\"thong-ke-dat-dai.xlsx\"")
                .body(statistics.workbook(ParcelLookup.parseAsOf(asOf), commune(commune), units));
    }

    @GetMapping(path = "/api/statistics/planned-vs-current", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> plannedVsCurrent(@RequestParam(required = false) String commune) {
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
