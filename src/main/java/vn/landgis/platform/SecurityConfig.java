package vn.landgis.platform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Who may do what. Three ways in: local accounts over HTTP Basic (the embedded default; the first officer is
 * made with {@code java -jar landgis.jar create-user}, there is no default password), bearer JWTs from the
 * province's OIDC provider when {@code spring.security.oauth2.resourceserver.jwt.*} is configured (roles from
 * the {@code roles} claim or Keycloak's {@code realm_access.roles}), and API keys for machine clients (IOC).
 * Anybody else is an anonymous citizen. Stateless: no session, no cookie, hence no CSRF token.
 */
@Configuration
@EnableMethodSecurity
@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
class SecurityConfig {

    /**
     * No observation of Spring Security's filter chain, authentications or authorisations: even with their recording
     * off, decorating every filter of every request allocated a tenth of a point look-up's garbage (bench/lookup.md).
     */
    @Bean
    org.springframework.security.config.observation.SecurityObservationSettings securityObservations() {
        return org.springframework.security.config.observation.SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, ObjectProvider<JwtDecoder> jwtDecoder,
                                            SecurityProperties properties) throws Exception {
        http.csrf(c -> c.disable())
                .cors(c -> c.configurationSource(crossOrigin(properties)))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.GET, "/api/parcels/*/history").hasRole(Roles.LAND_OFFICER)
                        .anyRequest().permitAll())
                .anonymous(a -> a.authorities("ROLE_ANONYMOUS", "ROLE_" + Roles.CITIZEN))
                .httpBasic(b -> b.authenticationEntryPoint(SecurityConfig::unauthenticated))
                .exceptionHandling(e -> e.authenticationEntryPoint(SecurityConfig::unauthenticated).accessDeniedHandler(SecurityConfig::forbidden))
                .addFilterBefore(new ApiKeyAuthenticationFilter(properties), BasicAuthenticationFilter.class);
        if (jwtDecoder.getIfAvailable() != null) {
            http.oauth2ResourceServer(o -> o.jwt(j -> j.jwtAuthenticationConverter(SecurityConfig::fromJwt)));
        }
        return http.build();
    }

    /**
     * Cross-origin calls from browsers: another site's web map (the provincial IOC's dashboard, a district's portal)
     * reads the published services (OGC, WMTS, tiles, Open311, parcel look-up, planning, statistics) with
     * {@code fetch}. Requests carry no cookie (the service is stateless), so an allowed origin gets only what its
     * caller's own credentials ({@code Authorization}, {@code X-API-Key}) may see; credentialed CORS (cookies) is
     * never allowed. The editor's, the imports' and the officers' report endpoints stay same-origin.
     */
    static org.springframework.web.cors.CorsConfigurationSource crossOrigin(SecurityProperties properties) {
        org.springframework.web.cors.UrlBasedCorsConfigurationSource source = new org.springframework.web.cors.UrlBasedCorsConfigurationSource();
        if (properties.corsOrigins().isEmpty()) {
            return source;
        }
        org.springframework.web.cors.CorsConfiguration published = new org.springframework.web.cors.CorsConfiguration();
        if (properties.corsOrigins().contains("*")) {
            published.setAllowedOrigins(List.of("*"));   // answered as "*": one cacheable answer for every origin
        } else {
            published.setAllowedOriginPatterns(properties.corsOrigins());   // "https://*.tayninh.gov.vn" allowed
        }
        published.setAllowCredentials(false);
        published.setAllowedMethods(List.of("GET", "HEAD", "POST", "OPTIONS"));
        published.setAllowedHeaders(List.of("Authorization", "Content-Type", ApiKeyAuthenticationFilter.HEADER, "Idempotency-Key", "X-Requested-With",
                "If-None-Match", "If-Modified-Since"));
        published.setExposedHeaders(List.of("ETag", "Last-Modified", "Content-Disposition", "Retry-After", "Location"));
        published.setMaxAge(3600L);
        for (String path : List.of("/ows", "/ows/**", "/wmts/**", "/tiles/**", "/open311/**", "/api/parcels/**", "/api/planning/**",
                "/api/statistics/**", "/api/web/config", "/api/web/land-use-types")) {
            source.registerCorsConfiguration(path, published);
        }
        return source;
    }

    /** A JWT's roles: the {@code roles} claim, or Keycloak's {@code realm_access.roles}; unknown roles are dropped. */
    static AbstractAuthenticationToken fromJwt(Jwt jwt) {
        List<String> names = new ArrayList<>();
        Object roles = jwt.getClaims().get("roles");
        if (roles instanceof Collection<?> c) {
            c.forEach(r -> names.add(String.valueOf(r)));
        }
        if (jwt.getClaims().get("realm_access") instanceof Map<?, ?> realm && realm.get("roles") instanceof Collection<?> c) {
            c.forEach(r -> names.add(String.valueOf(r)));
        }
        List<GrantedAuthority> authorities = names.stream().map(Roles::normalise).flatMap(java.util.Optional::stream).distinct()
                .map(r -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + r)).toList();
        String name = jwt.getClaimAsString("preferred_username") != null ? jwt.getClaimAsString("preferred_username") : jwt.getSubject();
        return new JwtAuthenticationToken(jwt, authorities, name);
    }

    @Bean
    org.springframework.security.crypto.password.PasswordEncoder passwordEncoder() {
        return UserAccounts.PASSWORDS;
    }

    /**
     * Local accounts from {@code platform.user_account}, checked by bcrypt behind {@link LocalAccountAuthentication}
     * (guessing throttled per address, a verified password remembered for a minute). The only password provider:
     * the JWT provider of the resource-server mode is added by its own configurer.
     */
    @Bean
    org.springframework.security.authentication.AuthenticationProvider localAccounts(JdbcTemplate jdbc,
            org.springframework.security.crypto.password.PasswordEncoder encoder) {
        UserDetailsService accounts = username -> jdbc.query(
                "SELECT password_hash, roles, enabled FROM platform.user_account WHERE username = ?",
                rs -> {
                    if (!rs.next()) {
                        throw new UsernameNotFoundException(username);
                    }
                    String[] roles = (String[]) rs.getArray("roles").getArray();
                    return User.withUsername(username).password(rs.getString("password_hash")).roles(roles)
                            .disabled(!rs.getBoolean("enabled")).build();
                }, username);
        var passwords = new org.springframework.security.authentication.dao.DaoAuthenticationProvider(accounts);
        passwords.setPasswordEncoder(encoder);
        return new LocalAccountAuthentication(passwords, LocalAccountAuthentication.Limits.DEFAULT, System::currentTimeMillis);
    }

    /**
     * 401 as a problem detail, with a {@code WWW-Authenticate} challenge for the clients that answer one but not for
     * the web map's own requests (no browser pop-up: {@link ApiProblem#challenges}); 429 with {@code Retry-After} when
     * throttled.
     */
    static void unauthenticated(jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
                                org.springframework.security.core.AuthenticationException failure) throws java.io.IOException {
        if (failure instanceof LocalAccountAuthentication.TooManyAttempts tooMany) {
            long wait = tooMany.retryAfterSeconds();
            new ApiProblem(org.springframework.http.HttpStatus.TOO_MANY_REQUESTS, "too-many-sign-ins",
                    "Đăng nhập sai quá nhiều lần; thử lại sau " + wait + " giây / too many failed sign-ins; retry in " + wait + " s")
                    .write(response, wait);
            return;
        }
        if (ApiProblem.challenges(request)) {
            response.setHeader("WWW-Authenticate", ApiProblem.CHALLENGE);
        }
        if (request.getRequestURI().startsWith(request.getContextPath() + "/ows")) {
            // a GIS client (GDAL, QGIS) shows an OGC exception report's text; a problem detail it reports as "401 (0)"
            OwsExceptionReport.write(response, 401, "OperationProcessingFailed", null, "Sai tên đăng nhập hoặc mật khẩu / wrong user name or password", "2.0.0");
            return;
        }
        new ApiProblem(org.springframework.http.HttpStatus.UNAUTHORIZED, "unauthenticated", "Cần đăng nhập / sign in first").write(request, response);
    }

    /** 403 as a problem detail (it was the servlet container's error page). */
    static void forbidden(jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
                          org.springframework.security.access.AccessDeniedException denied) throws java.io.IOException {
        new ApiProblem(org.springframework.http.HttpStatus.FORBIDDEN, "forbidden",
                "Tài khoản này không được phép / this account may not do that").write(request, response);
    }
}
