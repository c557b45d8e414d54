package vn.landgis.platform;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates machine clients by the {@code X-API-Key} header against the configured digests, in constant
 * time. A request without the header passes on untouched; a wrong key is a 401, not an anonymous call.
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";

    private final SecurityProperties properties;

    ApiKeyAuthenticationFilter(SecurityProperties properties) {
        this.properties = properties;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader(HEADER);
        if (presented == null) {
            chain.doFilter(request, response);
            return;
        }
        SecurityProperties.ApiKey match = properties.match(presented).orElse(null);
        if (match == null) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            // UTF-8 named: the servlet's default for a writer is ISO-8859-1, and "Khóa" came out as "Kh?a"
            response.setCharacterEncoding(java.nio.charset.StandardCharsets.UTF_8.name());
            response.setContentType("application/problem+json");
            response.getWriter().write("{\"type\":\"urn:landgis:problem:invalid-api-key\",\"title\":\"Unauthorized\",\"status\":401,"
                    + "\"detail\":\"Khóa API không hợp lệ / invalid API key\",\"code\":\"invalid-api-key\"}");
            return;
        }
        var authorities = match.roles().stream().map(Roles::normalise).flatMap(java.util.Optional::stream)
                .map(r -> new SimpleGrantedAuthority("ROLE_" + r)).toList();
        var auth = UsernamePasswordAuthenticationToken.authenticated("apikey:" + match.name(), null, authorities);
        SecurityContextHolder.getContext().setAuthentication(auth);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
