package vn.landgis.rendering;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The styles of one directory ({@code *.sld}), parsed once at load. Immutable and thread-safe. A style is found by
 * its {@link Style#name()} or by its file name without {@code .sld}. External graphics are read from below the
 * same directory only.
 */
public final class StyleLibrary {

    private final Map<String, Style> byName;
    private final Map<String, Style> byFile;

    private StyleLibrary(Map<String, Style> byFile) {
        Map<String, Style> names = new TreeMap<>();
        Map<String, String> fileOfName = new TreeMap<>();
        for (Map.Entry<String, Style> e : byFile.entrySet()) {
            String n = e.getValue().name();
            String other = fileOfName.putIfAbsent(n, e.getKey());
            if (other != null) {
                throw new StyleException("styles '" + other + ".sld' and '" + e.getKey() + ".sld' both define the style name '" + n + "'");
            }
            names.put(n, e.getValue());
        }
        this.byName = Collections.unmodifiableMap(names);
        this.byFile = Collections.unmodifiableMap(new TreeMap<>(byFile));
    }

    /**
     * Every {@code <dir>/*.sld} on the classpath (directories and jars, including a Spring Boot fat jar); when
     * several classpath entries have a file of the same name, the first one wins.
     *
     * @throws StyleException when a style does not parse (the message names the file)
     */
    public static StyleLibrary fromClasspath(String dir) {
        String d = dir.replaceAll("^/+|/+$", "");
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(StyleLibrary.class.getClassLoader());
        Resource[] resources;
        try {
            resources = resolver.getResources("classpath*:" + d + "/*.sld");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list classpath:" + d + "/*.sld", e);
        }
        Map<String, Style> styles = new LinkedHashMap<>();
        for (Resource r : resources) {
            String file = r.getFilename();
            if (file == null || !file.endsWith(".sld")) {
                continue;
            }
            String base = file.substring(0, file.length() - 4);
            if (styles.containsKey(base)) {
                continue;
            }
            SldParser.GraphicSource graphics = relative -> {
                Resource g = r.createRelative(relative);
                return g.exists() ? g.getInputStream() : null;
            };
            try (InputStream in = r.getInputStream()) {
                styles.put(base, SldParser.parse(in, base, graphics));
            } catch (IOException e) {
                throw new StyleException("cannot read style " + r.getDescription() + ": " + e.getMessage(), e);
            }
        }
        return new StyleLibrary(styles);
    }

    /**
     * Every {@code *.sld} file directly in {@code dir}.
     *
     * @throws StyleException when a style does not parse (the message names the file)
     */
    public static StyleLibrary fromDirectory(Path dir) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".sld") && Files.isRegularFile(p)).forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        Map<String, Style> styles = new LinkedHashMap<>();
        SldParser.GraphicSource graphics = SldParser.directorySource(dir);
        for (Path p : files) {
            String file = p.getFileName().toString();
            String base = file.substring(0, file.length() - 4);
            try (InputStream in = Files.newInputStream(p)) {
                styles.put(base, SldParser.parse(in, base, graphics));
            } catch (IOException e) {
                throw new StyleException("cannot read style " + p + ": " + e.getMessage(), e);
            }
        }
        return new StyleLibrary(styles);
    }

    /** The style of that name, or of that file name without {@code .sld}. */
    public Optional<Style> style(String name) {
        if (name == null) {
            return Optional.empty();
        }
        Style s = byName.get(name);
        return Optional.ofNullable(s != null ? s : byFile.get(name));
    }

    /** The style names ({@link Style#name()}), sorted. */
    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(byName.keySet()));
    }
}
