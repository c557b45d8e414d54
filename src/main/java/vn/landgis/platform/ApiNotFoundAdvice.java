package vn.landgis.platform;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * A path under {@code /api/} that no endpoint serves ({@code /api/parcels/abc}, {@code /api/imports/x}) is a problem
 * detail too: the "no resource" comes from Spring's static resource handler, which {@link ProblemDetailsAdvice}
 * (advice for the application's own controllers) does not cover, so the caller got Spring Boot's default error
 * body. Other paths (pages, assets) keep the default error handling.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ApiNotFoundAdvice {

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e, jakarta.servlet.http.HttpServletRequest request) throws NoResourceFoundException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith("/api/")) {
            throw e;
        }
        return ProblemDetailsAdvice.problem(HttpStatus.NOT_FOUND, "not-found",
                "Không có địa chỉ API này / no such API resource: " + (path.length() > 200 ? path.substring(0, 200) + "…" : path));
    }
}
