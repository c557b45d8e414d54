package vn.landgis.ows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The OGC CITE WFS 2.0 suite (ets-wfs20 1.25, through the kit in {@code ../shared/ets-wfs20} or {@code $ETS_KIT})
 * against the running service over the demo district. Every test of the conformance classes we declare must pass;
 * the summary is kept in {@code target/cite-wfs20/summary.txt}. Skipped when the kit is not on this machine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CiteWfs20Test {

    /** Failures we know and accept, each with the reason (none today). */
    static final Set<String> ACCEPTED = Set.of();

    @LocalServerPort
    int port;

    @Test
    void citeWfs20PassesForTheDeclaredConformanceClasses() throws Exception {
        // $ETS_KIT, else the workplace's shared kit beside the checkout (../shared) or at its usual place
        String env = System.getenv("ETS_KIT");
        Path kit = env != null ? Path.of(env) : Path.of("..", "shared", "ets-wfs20").toAbsolutePath().normalize();
        if (env == null && !Files.isDirectory(kit)) {
            kit = Path.of("/work/shared/ets-wfs20");
        }
        Assumptions.assumeTrue(Files.isExecutable(kit.resolve("run-ets.sh")), "the ets-wfs20 kit is not at " + kit);
        Path out = Path.of("target", "cite-wfs20").toAbsolutePath();
        Files.createDirectories(out);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assertThat(run(List.of(kit.resolve("setup.sh").toString()), java, out)).as("setup.sh, see target/cite-wfs20.log").isZero();
        String caps = "http://localhost:" + port + "/ows?SERVICE=WFS&REQUEST=GetCapabilities&VERSION=2.0.0";
        assertThat(run(List.of(kit.resolve("run-ets.sh").toString(), caps, out.toString()), java, out)).as("run-ets.sh").isZero();
        List<String> summary = Files.readAllLines(out.resolve("summary.txt"));
        List<String> failures = summary.stream().filter(l -> l.startsWith("FAIL | "))
                .filter(l -> ACCEPTED.stream().noneMatch(l::contains)).toList();
        assertThat(failures).as("CITE WFS 2.0 failures (target/cite-wfs20/summary.txt)").isEmpty();
        assertThat(summary.stream().filter(l -> l.startsWith("TOTAL")).findFirst().orElse("")).doesNotContain("PASSED 0 ");
    }

    private static int run(List<String> command, String java, Path out) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(out.getParent().toFile(), "cite-wfs20.log")));
        b.environment().put("JAVA", java);
        b.environment().putIfAbsent("ETS_HOME", "/tmp/ets-wfs20");
        Process p = b.start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroy();
            return -1;
        }
        return p.exitValue();
    }
}
