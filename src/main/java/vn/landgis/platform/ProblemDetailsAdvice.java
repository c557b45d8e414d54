package vn.landgis.platform;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Errors of the {@code /api} endpoints as RFC 9457 problem details: every refusal is a 4xx with a code and a
 * message; an unexpected failure is a 500 whose detail reveals nothing internal (the log has it).
 */
@RestControllerAdvice(basePackages = "vn.landgis")
class ProblemDetailsAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem e, jakarta.servlet.http.HttpServletRequest request) {
        ResponseEntity<ProblemDetail> r = problem(e.status(), e.code(), e.getMessage());
        if (e.status() == HttpStatus.UNAUTHORIZED && ApiProblem.challenges(request)) {
            return ResponseEntity.status(r.getStatusCode()).headers(r.getHeaders()).header("WWW-Authenticate", ApiProblem.CHALLENGE).body(r.getBody());
        }
        return r;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-parameter",
                "Tham số '" + e.getName() + "' không hợp lệ / parameter '" + e.getName() + "' is malformed");
    }

    /** Parameters Tomcat cannot decode (bytes that are no UTF-8: {@code ?q=%ff%fe}): the caller's fault, not ours. */
    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ResponseEntity<ProblemDetail> undecodable(org.apache.tomcat.util.http.InvalidParameterException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-parameter",
                "Tham số không đọc được (không phải UTF-8?) / parameters could not be decoded (not UTF-8?)");
    }

    /** A multipart upload without its file part (it was a 500). */
    @ExceptionHandler(org.springframework.web.multipart.support.MissingServletRequestPartException.class)
    ResponseEntity<ProblemDetail> missingPart(org.springframework.web.multipart.support.MissingServletRequestPartException e) {
        return problem(HttpStatus.BAD_REQUEST, "missing-part", "Thiếu phần '" + e.getRequestPartName() + "' trong nội dung multipart / the multipart body has no '"
                + e.getRequestPartName() + "' part");
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missing(MissingServletRequestParameterException e) {
        return problem(HttpStatus.BAD_REQUEST, "missing-parameter",
                "Thiếu tham số '" + e.getParameterName() + "' / parameter '" + e.getParameterName() + "' is required");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Không tìm thấy / not found");
    }

    @ExceptionHandler(org.springframework.http.converter.HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(org.springframework.http.converter.HttpMessageNotReadableException e) {
        return problem(HttpStatus.BAD_REQUEST, "unreadable-body", "Nội dung yêu cầu không đọc được / request body is malformed");
    }

    @ExceptionHandler(org.springframework.web.HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(org.springframework.web.HttpMediaTypeNotSupportedException e) {
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Kiểu nội dung không được hỗ trợ / unsupported content type");
    }

    @ExceptionHandler(org.springframework.web.multipart.MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> tooLarge(org.springframework.web.multipart.MaxUploadSizeExceededException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "upload-too-large", "Tệp tải lên quá lớn / upload too large");
    }

    @ExceptionHandler(org.springframework.web.multipart.MultipartException.class)
    ResponseEntity<ProblemDetail> multipart(org.springframework.web.multipart.MultipartException e) {
        return problem(HttpStatus.BAD_REQUEST, "malformed-multipart", "Nội dung multipart không đọc được / malformed multipart body");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return problem(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Phương thức không được hỗ trợ / method not allowed");
    }

    @ExceptionHandler({AccessDeniedException.class, AuthenticationException.class})
    void security(RuntimeException e) {
        throw e;   // Spring Security's entry point and access-denied handler answer these
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (RequestFailures.clientWentAway(e)) {
            // a client that left mid-answer (QGIS cancels its requests while the map pans): nothing to answer or report
            log.debug("client went away: {}", e.toString());
            return null;
        }
        log.error("unexpected error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Lỗi máy chủ / internal error");
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String code, String message) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, message);
        p.setType(URI.create("urn:landgis:problem:" + code));
        p.setTitle(status.getReasonPhrase());
        p.setProperty("code", code);
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
