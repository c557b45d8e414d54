package vn.landgis.rendering;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The styles: {@code styles/*.sld} from the jar, or from a directory given as {@code landgis.styles.dir} (so a
 * province can restyle without a build).
 */
@Configuration
class RenderingConfig {

    @Bean
    StyleLibrary styleLibrary(@Value("${landgis.styles.dir:}") String dir) {
        if (dir != null && !dir.isBlank()) {
            Path p = Path.of(dir);
            if (!Files.isDirectory(p)) {
                throw new IllegalStateException("landgis.styles.dir " + dir + " is not a directory");
            }
            return StyleLibrary.fromDirectory(p);
        }
        return StyleLibrary.fromClasspath("styles");
    }
}
