package vn.landgis.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The CORS origins as configured: every origin by default, a list, or none at all (an empty value). */
class SecurityPropertiesTest {

    static SecurityProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("landgis.security", SecurityProperties.class);
    }

    @Test
    void corsOriginsDefaultToEveryOriginMayBeListedAndAnEmptyValueTurnsCorsOff() {
        assertThat(bind(Map.of()).corsOrigins()).containsExactly("*");
        assertThat(bind(Map.of("landgis.security.cors-origins", "https://ioc.tayninh.gov.vn, https://*.tayninh.gov.vn")).corsOrigins())
                .containsExactly("https://ioc.tayninh.gov.vn", "https://*.tayninh.gov.vn");
        SecurityProperties off = bind(Map.of("landgis.security.cors-origins", ""));
        assertThat(off.corsOrigins()).isEmpty();
        assertThat(SecurityConfig.crossOrigin(off).getCorsConfiguration(new org.springframework.mock.web.MockHttpServletRequest("GET", "/ows")))
                .isNull();
        assertThat(SecurityConfig.crossOrigin(bind(Map.of())).getCorsConfiguration(new org.springframework.mock.web.MockHttpServletRequest("GET", "/ows"))
                .getAllowedOrigins()).containsExactly("*");
    }
}
