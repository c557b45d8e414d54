package vn.landgis.ows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.HtmlUtils;

import vn.landgis.features.Viewer;

/**
 * {@code /ows}: reads the KVP request, picks the service and answers; every refusal becomes an OGC exception
 * report. Nothing here knows SQL or pixels.
 */
@Controller
class OwsController {

    private static final Logger log = LoggerFactory.getLogger(OwsController.class);

    private final WmsService wms;
    private final WmtsService wmts;
    private final WfsService wfs;

    OwsController(WmsService wms, WmtsService wmts, WfsService wfs) {
        this.wms = wms;
        this.wmts = wmts;
        this.wfs = wfs;
    }

    @RequestMapping(path = "/ows", method = {RequestMethod.GET, RequestMethod.POST})
    void ows(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] service = {serviceOf(request)};
        OwsResponse answer;
        try {
            answer = dispatch(request, service);
        } catch (OwsException e) {
            if (e.status() == 401 && vn.landgis.platform.ApiProblem.challenges(request)) {
                response.setHeader("WWW-Authenticate", vn.landgis.platform.ApiProblem.CHALLENGE);
            }
            if ("WMTS".equals(service[0])) {
                writeOwsException(response, e, "1.0.0");
            } else if ("WFS".equals(service[0]) || service[0] == null) {
                // WFS, and a request that names no service: OWS Common's report (WMS requests are recognised by operation)
                writeOwsException(response, e, "2.0.0");
            } else {
                writeException(response, e);
            }
            return;
        }
        response.setStatus(200);
        response.setContentType(answer.contentType());
        answer.headers().forEach(response::setHeader);
        if (response.getHeader("Cache-Control") == null) {
            response.setHeader("Cache-Control", "no-cache");
        }
        try (OutputStream out = response.getOutputStream()) {
            answer.body().writeTo(out);
        }
    }

    /** The service a request names, upper case, or null; XML bodies are WFS (the only service we take XML for). */
    private static String serviceOf(HttpServletRequest request) {
        for (var e : request.getParameterMap().entrySet()) {
            if (e.getKey().equalsIgnoreCase("SERVICE") && e.getValue().length > 0) {
                return e.getValue()[0].trim().toUpperCase(Locale.ROOT);
            }
        }
        if (isXml(request)) {
            return "WFS";
        }
        // no SERVICE: a WFS 2.0 client still says its version, and deserves an OWS exception report
        for (var e : request.getParameterMap().entrySet()) {
            if ((e.getKey().equalsIgnoreCase("VERSION") || e.getKey().equalsIgnoreCase("ACCEPTVERSIONS")) && e.getValue().length > 0
                    && e.getValue()[0].trim().startsWith("2.")) {
                return "WFS";
            }
        }
        return null;
    }

    private static boolean isXml(HttpServletRequest request) {
        String type = request.getContentType();
        return "POST".equals(request.getMethod()) && type != null
                && (type.toLowerCase(Locale.ROOT).contains("xml") || type.toLowerCase(Locale.ROOT).startsWith("text/plain"));
    }

    private OwsResponse dispatch(HttpServletRequest request, String[] serviceHolder) throws IOException {
        Viewer viewer = Viewer.of(SecurityContextHolder.getContext().getAuthentication());
        String url = ServletUriComponentsBuilder.fromCurrentContextPath().path("/ows").build().toUriString();
        if (isXml(request)) {
            org.w3c.dom.Element root = SecureXml.parse(request.getInputStream()).getDocumentElement();
            serviceHolder[0] = "WFS";
            if ("Transaction".equals(root.getLocalName()) && !request.getContentType().toLowerCase(Locale.ROOT).contains("xml")) {
                // a cross-site HTML form can post text/plain but not XML: a write must say it is XML
                throw new OwsException("OperationProcessingFailed", "Transaction",
                        "Giao dịch phải gửi với Content-Type XML / a Transaction must be posted as application/xml or text/xml", 415);
            }
            return wfs.handleXml(root, viewer, url);
        }
        KvpRequest kvp = KvpRequest.of(request.getParameterMap());
        String operation = kvp.get("REQUEST");
        String service = kvp.get("SERVICE");
        if (service == null || service.isBlank()) {
            String op = operation == null ? "" : operation.toLowerCase(Locale.ROOT);
            if (op.equals("getmap") || op.equals("getfeatureinfo") || op.equals("getlegendgraphic")) {
                service = "WMS";
            } else if (op.equals("gettile")) {
                service = "WMTS";
            } else {
                throw OwsException.missing("SERVICE");
            }
        }
        serviceHolder[0] = service.trim().toUpperCase(Locale.ROOT);
        if (operation == null || operation.isBlank()) {
            throw OwsException.missing("REQUEST");
        }
        return switch (serviceHolder[0]) {
            case "WMS" -> wms.handle(operation, kvp, viewer, url);
            case "WMTS" -> wmts.handle(operation, kvp, viewer, url);
            case "WFS" -> wfs.handle(operation, kvp, viewer, url, request.getQueryString());
            default -> throw OwsException.invalid("SERVICE", "Dịch vụ không hỗ trợ / service not supported: " + KvpRequest.shorten(service));
        };
    }

    /** WMS 1.3.0 ServiceExceptionReport (Annex E); HTTP 400 unless the exception says otherwise. */
    static void writeException(HttpServletResponse response, OwsException e) throws IOException {
        if (e.status() >= 500) {
            log.warn("OGC request failed: {} {}", e.code(), e.getMessage());
        }
        response.setStatus(e.status());
        response.setContentType("text/xml; charset=UTF-8");
        String locator = e.locator() == null ? "" : " locator=\"" + HtmlUtils.htmlEscape(e.locator(), "UTF-8") + "\"";
        String body = """
                <?xml version="1.0" encoding="UTF-8"?>
                <ServiceExceptionReport version="1.3.0" xmlns="http://www.opengis.net/ogc" \
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
                xsi:schemaLocation="http://www.opengis.net/ogc http://schemas.opengis.net/wms/1.3.0/exceptions_1_3_0.xsd">
                  <ServiceException code="%s"%s>%s</ServiceException>
                </ServiceExceptionReport>
                """.formatted(HtmlUtils.htmlEscape(e.code(), "UTF-8"), locator, HtmlUtils.htmlEscape(e.getMessage(), "UTF-8"));
        try (OutputStream out = response.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** OWS Common 1.1 ExceptionReport (WMTS 1.0, WFS 2.0). */
    static void writeOwsException(HttpServletResponse response, OwsException e, String version) throws IOException {
        vn.landgis.platform.OwsExceptionReport.write(response, e.status(), e.code(), e.locator(), e.getMessage(), version);
    }
}
