package vn.landgis.fieldreports;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses (413, the Open311 error list) a report whose declared Content-Length passes the photo limit plus
 * {@link #FORM_OVERHEAD_BYTES}, before anything reads the body: ahead of the security filters, since reading any
 * request parameter (the bearer-token resolver looks for one in a form POST) reads a form body whole. The answer
 * is flushed at once with {@code Connection: close}, as the container would otherwise first drain the body it
 * refuses.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class Open311BodyLimitFilter extends OncePerRequestFilter {

    /** Room for the form fields and multipart headers next to the largest photo. */
    static final long FORM_OVERHEAD_BYTES = 64 * 1024;

    private final FieldReportProperties properties;

    Open311BodyLimitFilter(FieldReportProperties properties) {
        this.properties = properties;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !request.getRequestURI().startsWith(request.getContextPath() + "/open311/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() <= properties.maxPhotoBytes() + FORM_OVERHEAD_BYTES) {
            chain.doFilter(request, response);
            return;
        }
        Open311Format format = request.getRequestURI().endsWith(".xml") ? Open311Format.XML : Open311Format.JSON;
        ResponseEntity<byte[]> refusal = format.errors(413, "Yêu cầu quá lớn: ảnh tối đa " + properties.maxPhotoMb()
                + " MB / request too large: media at most " + properties.maxPhotoMb() + " MB");
        response.setStatus(refusal.getStatusCode().value());
        refusal.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        response.setHeader("Connection", "close");
        response.setContentLength(refusal.getBody().length);   // a known length: sent as it is, neither chunked nor compressed
        response.getOutputStream().write(refusal.getBody());
        response.flushBuffer();
    }
}
