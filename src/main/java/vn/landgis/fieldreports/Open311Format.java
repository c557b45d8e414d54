package vn.landgis.fieldreports;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two encodings of GeoReport v2: JSON (a list of objects, or an object) and XML (a root element whose
 * children are one element per object, lists inside objects as a container with one element per item), both
 * UTF-8. Values are strings, numbers, booleans, null (an empty XML element), maps and lists.
 */
enum Open311Format {
    JSON(new MediaType("application", "json", StandardCharsets.UTF_8)),
    XML(new MediaType("text", "xml", StandardCharsets.UTF_8));

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final XMLOutputFactory XML_OUTPUT = XMLOutputFactory.newFactory();
    /** The item element of each list-valued field in the XML encoding. */
    private static final Map<String, String> ITEMS = Map.of("attributes", "attribute", "values", "value",
            "endpoints", "endpoint", "formats", "format");

    private final MediaType mediaType;

    Open311Format(MediaType mediaType) {
        this.mediaType = mediaType;
    }

    MediaType mediaType() {
        return mediaType;
    }

    /** "json" or "xml" (the resource's extension); anything else is a 404 of the spec's kind. */
    static Open311Format of(String extension) {
        return switch (extension) {
            case "json" -> JSON;
            case "xml" -> XML;
            default -> throw Open311Exception.notFound("Định dạng không hỗ trợ / format not supported: use .json or .xml");
        };
    }

    /** A list of objects: a JSON array, or {@code <root><item>...</item>...</root>}. */
    ResponseEntity<byte[]> list(HttpStatus status, String root, String item, List<? extends Map<String, ?>> objects) {
        return ResponseEntity.status(status).contentType(mediaType).body(this == JSON ? MAPPER.writeValueAsBytes(objects)
                : xml(w -> {
                    w.writeStartElement(root);
                    for (Map<String, ?> o : objects) {
                        element(w, item, o);
                    }
                    w.writeEndElement();
                }));
    }

    /** One object: a JSON object, or {@code <root>...</root>}. */
    ResponseEntity<byte[]> object(String root, Map<String, ?> object) {
        return ResponseEntity.ok().contentType(mediaType).body(this == JSON ? MAPPER.writeValueAsBytes(object)
                : xml(w -> element(w, root, object)));
    }

    /** The spec's error list. */
    ResponseEntity<byte[]> errors(int code, String description) {
        HttpStatus status = HttpStatus.resolve(code) == null ? HttpStatus.BAD_REQUEST : HttpStatus.valueOf(code);
        Map<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("code", code);
        error.put("description", description);
        return list(status, "errors", "error", List.of(error));
    }

    private interface XmlBody {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    private static byte[] xml(XmlBody body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            XMLStreamWriter w = XML_OUTPUT.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            body.write(w);
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing Open311 XML", e);
        }
        return out.toByteArray();
    }

    private static void element(XMLStreamWriter w, String name, Object value) throws XMLStreamException {
        if (value == null) {
            w.writeEmptyElement(name);
            return;
        }
        w.writeStartElement(name);
        switch (value) {
            case Map<?, ?> m -> {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    element(w, String.valueOf(e.getKey()), e.getValue());
                }
            }
            case List<?> l -> {
                String item = ITEMS.getOrDefault(name, "item");
                for (Object o : l) {
                    element(w, item, o);
                }
            }
            default -> w.writeCharacters(xmlSafe(String.valueOf(value)));
        }
        w.writeEndElement();
    }

    /** Drops characters XML 1.0 cannot carry (control characters a client may have sent). */
    private static String xmlSafe(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c != 0xFFFE && c != 0xFFFF);
            if (!ok && b == null) {
                b = new StringBuilder(s.substring(0, i));
            } else if (ok && b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
