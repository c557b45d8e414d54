package vn.landgis.fieldreports;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

import vn.landgis.platform.ApiProblem;

/**
 * Errors of the Open311 endpoints in the spec's format ({@code [{"code": 400, "description": "..."}]}, or
 * {@code <errors><error>...} for {@code .xml}), the code also the HTTP status; never a stack trace.
 */
@RestControllerAdvice(assignableTypes = Open311Controller.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class Open311Advice {

    private static final Logger log = LoggerFactory.getLogger(Open311Advice.class);

    private static Open311Format format(HttpServletRequest request) {
        return request.getRequestURI().endsWith(".xml") ? Open311Format.XML : Open311Format.JSON;
    }

    @ExceptionHandler(Open311Exception.class)
    ResponseEntity<byte[]> open311(Open311Exception e, HttpServletRequest request) {
        ResponseEntity<byte[]> r = format(request).errors(e.code(), e.getMessage());
        return e.retryAfterSeconds() <= 0 ? r
                : ResponseEntity.status(r.getStatusCode()).headers(r.getHeaders()).header("Retry-After", String.valueOf(e.retryAfterSeconds())).body(r.getBody());
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<byte[]> problem(ApiProblem e, HttpServletRequest request) {
        return format(request).errors(e.status().value(), e.getMessage());
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<byte[]> tooLarge(MaxUploadSizeExceededException e, HttpServletRequest request) {
        return format(request).errors(413, "Tệp tải lên quá lớn / upload too large");
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<byte[]> multipart(MultipartException e, HttpServletRequest request) {
        return format(request).errors(400, "Nội dung multipart không đọc được / malformed multipart body");
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MissingRequestHeaderException.class,
            MethodArgumentTypeMismatchException.class, HttpMediaTypeNotSupportedException.class})
    ResponseEntity<byte[]> malformed(Exception e, HttpServletRequest request) {
        return format(request).errors(400, "Yêu cầu không hợp lệ / malformed request");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<byte[]> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return format(request).errors(405, "Phương thức không được hỗ trợ / method not allowed");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<byte[]> unexpected(Exception e, HttpServletRequest request) {
        if (vn.landgis.platform.RequestFailures.clientWentAway(e)) {
            return null;   // the client left: nothing to answer
        }
        if (vn.landgis.platform.RequestFailures.parametersRefused(e)) {
            // a form body over the server's limit (maxPostSize): the client's fault, said as such
            return format(request).errors(413, "Nội dung gửi lên quá lớn / request body too large");
        }
        log.error("Open311: unexpected error", e);
        return format(request).errors(500, "Lỗi máy chủ / internal error");
    }
}
