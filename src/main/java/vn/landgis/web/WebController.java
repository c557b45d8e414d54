package vn.landgis.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The pages of the web map: {@code /} is {@code static/index.html} (Spring Boot's welcome page), {@code /report}
 * the phone-first report form; both are files of the Vite build. {@code /api/web/config} tells the page what
 * the deployment configured (an online base map, off by default).
 */
@Controller
@EnableConfigurationProperties(WebProperties.class)
class WebController {

    private final WebProperties properties;

    WebController(WebProperties properties) {
        this.properties = properties;
    }

    @GetMapping({"/report", "/report/"})
    String report() {
        return "forward:/report.html";
    }

    @GetMapping("/api/web/config")
    ResponseEntity<Map<String, Object>> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("baseMapUrl", properties.baseMapUrl());
        c.put("baseMapAttribution", properties.baseMapAttribution());
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5)).cachePublic()).body(c);
    }
}
