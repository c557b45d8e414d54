package vn.landgis.cadastre;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code landgis.demo.*}: the generated demo district loaded by the README's run command. */
@ConfigurationProperties("landgis.demo")
public record DemoProperties(boolean loadOnStart, String district, int parcels, long seed) {
}
