package vn.landgis.geo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs GDAL's {@code ogr2ogr} (Debian {@code gdal-bin}) as a process: arguments as a list (never a shell string),
 * a time limit, and the tail of its messages in the error when it fails. Used to convert the CAD and MapInfo
 * formats that the importer does not read itself (DGN v7, DXF, TAB/MIF), and by the generator to write them.
 */
public final class Ogr2Ogr {

    /** How long one conversion may take before the process is killed. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private Ogr2Ogr() {
    }

    /**
     * {@code ogr2ogr -f FORMAT [options] OUT SOURCE}: writes {@code out} from {@code source}.
     *
     * @throws IOException when ogr2ogr is missing, fails, or outlives {@code timeout}
     */
    public static void convert(String format, Path out, Path source, List<String> options, Duration timeout) throws IOException {
        List<String> command = new ArrayList<>(List.of(executable(), "-f", format));
        command.addAll(options);
        command.add(out.toAbsolutePath().toString());
        command.add(source.toAbsolutePath().toString());
        Path log = Files.createTempFile("ogr2ogr", ".log");
        try {
            Process p;
            try {
                p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullDevice())).start();
            } catch (IOException e) {
                throw new IOException("ogr2ogr (GDAL, Debian package gdal-bin) is not available: " + e.getMessage(), e);
            }
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while ogr2ogr converted " + source.getFileName(), e);
            }
            if (!done) {
                p.destroyForcibly();
                throw new IOException("ogr2ogr took longer than " + timeout.toSeconds() + " s converting " + source.getFileName() + ": stopped");
            }
            if (p.exitValue() != 0 || !Files.exists(out)) {
                throw new IOException("ogr2ogr could not convert " + source.getFileName() + " (exit " + p.exitValue() + "): " + tail(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static String executable() {
        String configured = System.getProperty("landgis.ogr2ogr");
        return configured == null || configured.isBlank() ? "ogr2ogr" : configured;
    }

    /**
     * The last 600 characters of the process's messages, without the list of every driver GDAL tried when it could
     * not open the source (one line each, "  -> `Name'": noise to whoever reads the import's error).
     */
    private static String tail(Path log) throws IOException {
        try (InputStream in = Files.newInputStream(log)) {
            long size = Files.size(log);
            in.skip(Math.max(0, size - 64 * 1024));
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String kept = text.lines().filter(l -> !l.startsWith("  -> ")).map(String::strip).filter(l -> !l.isEmpty() && !l.equals("FAILURE:"))
                    .collect(java.util.stream.Collectors.joining(" "));
            kept = kept.replace(" with the following drivers.", ": GDAL knows no format that reads it");
            return kept.length() > 600 ? kept.substring(kept.length() - 600) : kept;
        }
    }
}
