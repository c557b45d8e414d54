package vn.landgis.platform;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code landgis.admission.*}: how many of the short, database-bound requests ({@link #paths}, less
 * {@link #excludePaths}) run at once; the others wait in arrival order, at most {@link #maxWait}.
 *
 * @param concurrency requests admitted at once; 0 (the default) means one per processor plus one
 * @param maxWait     longest wait for admission before a 503 with {@code Retry-After}
 * @param paths       path patterns ({@code /api/parcels/**}) of the gated requests
 * @param excludePaths patterns of long requests under {@link #paths} that are not gated (documents, exports)
 */
@ConfigurationProperties("landgis.admission")
public record AdmissionProperties(int concurrency, Duration maxWait, List<String> paths, List<String> excludePaths) {

    public AdmissionProperties {
        if (concurrency < 0) {
            throw new IllegalArgumentException("landgis.admission.concurrency must be 0 (one per processor plus one) or more");
        }
        maxWait = maxWait == null ? Duration.ofSeconds(10) : maxWait;
        paths = paths == null ? List.of() : List.copyOf(paths);
        excludePaths = excludePaths == null ? List.of() : List.copyOf(excludePaths);
    }

    /**
     * The number of requests admitted at once: by default one per processor plus one, so that one request's network
     * round trip overlaps the others' work (on 2 cores 3 gave the most look-ups per second and the shortest tail of
     * 2, 3, 4 and 16: bench/lookup.md).
     */
    public int permits() {
        return concurrency > 0 ? concurrency : Runtime.getRuntime().availableProcessors() + 1;
    }
}
