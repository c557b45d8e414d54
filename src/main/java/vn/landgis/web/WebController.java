package vn.landgis.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

import vn.landgis.platform.ApiProblem;
import vn.landgis.platform.Roles;

/**
 * The pages of the web map: {@code /} is {@code static/index.html} (Spring Boot's welcome page), {@code /report}
 * the phone-first report form, {@code /editor} the land officers' map editor (behind its own sign-in: the page is
 * static, every edit is authorised by the API); all are files of the Vite build. {@code /api/web/config} tells the
 * page what the deployment configured (an online base map, off by default), {@code /api/web/me} who signed in,
 * {@code /api/web/land-use-types} the current land-use codes (Circular 08/2024) for the editor's form.
 */
@Controller
@EnableConfigurationProperties(WebProperties.class)
class WebController {

    private final WebProperties properties;
    private final JdbcTemplate jdbc;

    WebController(WebProperties properties, JdbcTemplate jdbc) {
        this.properties = properties;
        this.jdbc = jdbc;
    }

    @GetMapping({"/editor", "/editor/"})
    String editor() {
        return "forward:/editor.html";
    }

    /** The land officers' import page: a delivery uploaded and followed to its end, commune boundaries loaded. */
    @GetMapping({"/imports", "/imports/"})
    String imports() {
        return "forward:/imports.html";
    }

    /** The signed-in account (HTTP Basic checks the password on the way): its name, roles and whether it may edit. */
    @GetMapping("/api/web/me")
    ResponseEntity<Map<String, Object>> me(Authentication auth) {
        if (auth == null || auth instanceof AnonymousAuthenticationToken || !auth.isAuthenticated()) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "unauthenticated", "Cần đăng nhập / sign in");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", auth.getName());
        m.put("roles", auth.getAuthorities().stream().map(GrantedAuthority::getAuthority).filter(a -> a.startsWith("ROLE_"))
                .map(a -> a.substring(5)).sorted().toList());
        m.put("officer", Roles.isOfficer(auth));
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(m);
    }

    /** The land-use codes an edit may set (the current ones of Circular 08/2024), with their names and colours. */
    @GetMapping("/api/web/land-use-types")
    ResponseEntity<List<Map<String, Object>>> landUseTypes() {
        List<Map<String, Object>> types = jdbc.query("SELECT code, name_vi, name_en, color FROM cadastre.land_use_type WHERE current ORDER BY code",
                (rs, i) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("code", rs.getString(1));
                    m.put("name", rs.getString(2));
                    m.put("nameEn", rs.getString(3));
                    m.put("color", rs.getString(4));
                    return m;
                });
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5)).cachePublic()).body(types);
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
