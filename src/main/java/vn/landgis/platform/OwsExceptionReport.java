package vn.landgis.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.util.HtmlUtils;

/**
 * An OWS Common 1.1 exception report (WFS 2.0, WMTS 1.0) written to a response: by the OGC server for its refusals,
 * and by the security chain for the refusals of /ows requests (a GIS client shows the report's text; a problem detail
 * GDAL printed as "401 (0)").
 */
public final class OwsExceptionReport {

    private OwsExceptionReport() {
    }

    public static void write(HttpServletResponse response, int status, String code, String locator, String message, String version)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/xml; charset=UTF-8");
        String at = locator == null ? "" : " locator=\"" + HtmlUtils.htmlEscape(locator, "UTF-8") + "\"";
        String body = """
                <?xml version="1.0" encoding="UTF-8"?>
                <ows:ExceptionReport version="%s" xml:lang="vi" xmlns:ows="http://www.opengis.net/ows/1.1" \
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
                xsi:schemaLocation="http://www.opengis.net/ows/1.1 http://schemas.opengis.net/ows/1.1.0/owsExceptionReport.xsd">
                  <ows:Exception exceptionCode="%s"%s>
                    <ows:ExceptionText>%s</ows:ExceptionText>
                  </ows:Exception>
                </ows:ExceptionReport>
                """.formatted(version, HtmlUtils.htmlEscape(code, "UTF-8"), at, HtmlUtils.htmlEscape(message, "UTF-8"));
        try (OutputStream out = response.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
    }
}
