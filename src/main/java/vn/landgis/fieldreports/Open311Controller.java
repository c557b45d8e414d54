package vn.landgis.fieldreports;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import vn.landgis.platform.SecurityProperties;

/**
 * Open311 GeoReport v2 at {@code /open311/v2/}: every resource as {@code .json} and {@code .xml}, errors as the
 * spec's error list. Anonymous callers may post; nothing here ever returns a reporter's contact data.
 */
@RestController
@RequestMapping("/open311")
class Open311Controller {

    static final String SPEC = "http://wiki.open311.org/GeoReport_v2";
    static final String CHANGESET = "2026-11-22T00:00:00+07:00";

    private final ServiceCatalog services;
    private final ReportService reports;
    private final FieldReportProperties properties;
    private final SecurityProperties security;

    Open311Controller(ServiceCatalog services, ReportService reports, FieldReportProperties properties, SecurityProperties security) {
        this.services = services;
        this.reports = reports;
        this.properties = properties;
        this.security = security;
    }

    @GetMapping({"/discovery.{format}", "/v2/discovery.{format}"})
    ResponseEntity<byte[]> discovery(@PathVariable String format) {
        Open311Format f = Open311Format.of(format);
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("specification", SPEC);
        endpoint.put("url", ServletUriComponentsBuilder.fromCurrentContextPath().path("/open311/v2").toUriString());
        endpoint.put("changeset", CHANGESET);
        endpoint.put("type", "production");
        endpoint.put("formats", List.of("text/xml", "application/json"));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("changeset", CHANGESET);
        d.put("contact", properties.contact());
        d.put("key_service", "Không cần api_key để gửi phản ánh / no api_key is needed to post a request");
        d.put("endpoints", List.of(endpoint));
        return f.object("discovery", d);
    }

    @GetMapping("/v2/services.{format}")
    ResponseEntity<byte[]> services(@PathVariable String format) {
        Open311Format f = Open311Format.of(format);
        List<Map<String, Object>> out = new ArrayList<>();
        for (ServiceCatalog.Service s : services.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("service_code", s.code());
            m.put("service_name", s.nameVi());
            m.put("description", s.description() + ". Đơn vị xử lý / handled by: " + s.department()
                    + ". Hạn xử lý / deadline: " + s.deadlineHours() + " h (" + s.nameEn() + ")");
            m.put("metadata", !s.attributes().isEmpty());
            m.put("type", "realtime");
            m.put("keywords", s.keywords());
            m.put("group", s.group());
            out.add(m);
        }
        return f.list(HttpStatus.OK, "services", "service", out);
    }

    @GetMapping("/v2/services/{code}.{format}")
    ResponseEntity<byte[]> definition(@PathVariable String code, @PathVariable String format) {
        Open311Format f = Open311Format.of(format);
        ServiceCatalog.Service s = services.find(code).orElseThrow(() -> Open311Exception.notFound(
                "Không có lĩnh vực '" + Geolocator.shorten(code) + "' / service_code not found"));
        List<Map<String, Object>> attributes = new ArrayList<>();
        int order = 1;
        for (ServiceCatalog.Attribute a : s.attributes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("variable", true);
            m.put("code", a.code());
            m.put("datatype", a.datatype());
            m.put("required", a.required());
            m.put("datatype_description", switch (a.datatype()) {
                case "number" -> "Số, dấu chấm thập phân / a number, decimal point";
                case "datetime" -> "ISO 8601, ví dụ / e.g. 2026-01-31T08:00:00+07:00";
                default -> null;
            });
            m.put("order", order++);
            m.put("description", a.description());
            if (!a.values().isEmpty()) {
                m.put("values", a.values());
            }
            attributes.add(m);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("service_code", s.code());
        d.put("attributes", attributes);
        return f.object("service_definition", d);
    }

    /** POST a request: form-urlencoded per the spec, or multipart/form-data with an optional {@code media} file. */
    @PostMapping("/v2/requests.{format}")
    ResponseEntity<byte[]> create(@PathVariable String format, HttpServletRequest request,
                                  @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        Open311Format f = Open311Format.of(format);
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> e : request.getParameterMap().entrySet()) {
            String k = e.getKey();
            if (k.startsWith("attribute[") && k.endsWith("]") && e.getValue().length > 0) {
                attributes.put(k.substring(10, k.length() - 1), e.getValue()[0]);
            }
        }
        byte[] photo = null;
        long photoSize = 0;
        if (request instanceof MultipartHttpServletRequest multipart) {
            MultipartFile media = multipart.getFile("media");
            if (media != null && !media.isEmpty()) {
                photoSize = media.getSize();
                if (photoSize <= properties.maxPhotoBytes()) {
                    try (InputStream in = media.getInputStream()) {
                        photo = in.readNBytes((int) properties.maxPhotoBytes() + 1);
                    } catch (IOException e) {
                        throw Open311Exception.badRequest("Không đọc được tệp ảnh / media part cannot be read");
                    }
                } else {
                    photo = new byte[0];   // too large: the service refuses it by size without reading it
                }
            }
        }
        String apiKey = request.getParameter("api_key");
        Submission s = new Submission(request.getParameter("service_code"), request.getParameter("lat"), request.getParameter("long"),
                request.getParameter("x"), request.getParameter("y"), request.getParameter("crs"), request.getParameter("accuracy"),
                request.getParameter("address_string"), request.getParameter("description"), request.getParameter("email"),
                request.getParameter("device_id"), request.getParameter("first_name"), request.getParameter("last_name"),
                request.getParameter("phone"), request.getParameter("media_url"), attributes, photo, photoSize, idempotencyKey,
                client(apiKey, request));
        ReportService.Receipt r = reports.submit(s);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service_request_id", String.valueOf(r.id()));
        m.put("token", r.token());
        m.put("service_notice", r.notice());
        m.put("account_id", null);
        return f.list(r.created() ? HttpStatus.CREATED : HttpStatus.OK, "service_requests", "request", List.of(m));
    }

    /**
     * Who the rate limit counts: a configured API key (the api_key parameter, or the X-API-Key header the security
     * filter checked), else the client's address. Any other api_key is no one's: a fresh random key per request
     * must not be a fresh client.
     */
    private String client(String apiKey, HttpServletRequest request) {
        var key = security.match(apiKey);
        if (key.isPresent()) {
            return "key:" + key.get().name();
        }
        var auth = org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getName() != null && auth.getName().startsWith("apikey:")) {
            return "key:" + auth.getName().substring(7);
        }
        return "ip:" + ClientAddress.of(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"), properties.trustedProxies());
    }

    @GetMapping("/v2/requests.{format}")
    ResponseEntity<byte[]> list(@PathVariable String format,
                                @RequestParam(name = "service_request_id", required = false) String ids,
                                @RequestParam(name = "service_code", required = false) String serviceCode,
                                @RequestParam(name = "start_date", required = false) String start,
                                @RequestParam(name = "end_date", required = false) String end,
                                @RequestParam(required = false) String status,
                                @RequestParam(required = false) String bbox,
                                @RequestParam(required = false) String commune,
                                @RequestParam(defaultValue = "false") String extensions) {
        Open311Format f = Open311Format.of(format);
        ReportService.Query q = reports.query(ids, serviceCode, start, end, status, bbox, commune);
        return f.list(HttpStatus.OK, "service_requests", "request", reports.find(q, mediaBase(), "true".equals(extensions)));
    }

    @GetMapping("/v2/requests/{id}.{format}")
    ResponseEntity<byte[]> one(@PathVariable String id, @PathVariable String format,
                               @RequestParam(defaultValue = "false") String extensions) {
        Open311Format f = Open311Format.of(format);
        Map<String, Object> r = (id.matches("[0-9]{1,18}") ? reports.find(Long.parseLong(id), mediaBase(), "true".equals(extensions))
                : java.util.Optional.<Map<String, Object>>empty())
                .orElseThrow(() -> Open311Exception.notFound("Không có phản ánh " + Geolocator.shorten(id) + " / service_request_id not found"));
        return f.list(HttpStatus.OK, "service_requests", "request", List.of(r));
    }

    @GetMapping("/v2/tokens/{token}.{format}")
    ResponseEntity<byte[]> token(@PathVariable String token, @PathVariable String format) {
        Open311Format f = Open311Format.of(format);
        long id = reports.byToken(token).orElseThrow(() -> Open311Exception.notFound("Không có token này / token not found"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service_request_id", String.valueOf(id));
        m.put("token", token);
        return f.list(HttpStatus.OK, "service_requests", "request", List.of(m));
    }

    /** The public copy of a report's photo (EXIF stripped). */
    @GetMapping("/v2/media/{id:[0-9]{1,18}}.{ext:jpg|png}")
    ResponseEntity<byte[]> media(@PathVariable long id, @PathVariable String ext) {
        Map<String, Object> m = reports.media(id, false).orElseThrow(() -> Open311Exception.notFound("Không có ảnh / no media"));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType((String) m.get("content_type")))
                .cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(1)).cachePublic())
                .header("X-Content-Type-Options", "nosniff").body((byte[]) m.get("bytes"));
    }

    static String mediaBase() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path("/open311/v2/media/").toUriString();
    }
}
