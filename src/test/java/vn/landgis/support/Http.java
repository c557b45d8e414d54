package vn.landgis.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A small HTTP client for tests against the running service on a random port. */
public final class Http {

    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;

    public Http(int port) {
        this.base = "http://localhost:" + port;
    }

    public HttpResponse<String> get(String pathAndQuery, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET();
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<byte[]> bytes(String pathAndQuery, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET();
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Any method without a body (OPTIONS, DELETE, ...): the status and headers. */
    public HttpResponse<String> send(String method, String pathAndQuery, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).method(method, HttpRequest.BodyPublishers.noBody());
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** HEAD: the status and headers a GET would have, without the body. */
    public HttpResponse<Void> head(String pathAndQuery, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).method("HEAD", HttpRequest.BodyPublishers.noBody());
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return client.send(b.build(), HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** POSTs {@code body} as {@code contentType}. */
    public HttpResponse<String> post(String pathAndQuery, String contentType, String body, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).header("Content-Type", contentType);
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** POSTs a body of the given content type. */
    public HttpResponse<String> post(String pathAndQuery, String contentType, byte[] body, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                    .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** application/x-www-form-urlencoded from name, value pairs. */
    public static byte[] form(String... pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            b.append(b.isEmpty() ? "" : "&").append(q(pairs[i])).append('=').append(q(pairs[i + 1]));
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A multipart/form-data body: text fields from pairs, and optionally one file part; returns {content type, body}. */
    public static Object[] multipart(String fileField, String fileName, String fileType, byte[] file, String... pairs) {
        String boundary = "----landgis" + Long.toHexString(System.nanoTime());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            for (int i = 0; i < pairs.length; i += 2) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + pairs[i] + "\"\r\n\r\n" + pairs[i + 1] + "\r\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            if (file != null) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\"" + fileName
                        + "\"\r\nContent-Type: " + fileType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                out.write(file);
                out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return new Object[] {"multipart/form-data; boundary=" + boundary, out.toByteArray()};
    }

    public String base() {
        return base;
    }

    public static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public static String[] basic(String user, String password) {
        return new String[] {"Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))};
    }

    public static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }
}
