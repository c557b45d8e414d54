package vn.landgis;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * In the context of a data command ({@code import}, {@code import-boundaries}, ...: the property
 * {@value #PROPERTY} set by {@code LandgisApplication.DataCommand}), leaves out the auto-configurations of what only
 * a running service uses: health, metrics and their registries, observation. Lazy initialisation does not spare them:
 * their post-processors and binders are created eagerly, with the classes they load, about a second of every
 * command's start (bench/imports.md). The service's context is not touched.
 */
public final class DataCommandAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware {

    static final String PROPERTY = "landgis.data-command";

    /** Packages of Spring Boot's auto-configurations a data command does without. */
    private static final String[] SERVICE_ONLY = {
            "org.springframework.boot.health.", "org.springframework.boot.micrometer.", "org.springframework.boot.actuate.",
            "org.springframework.boot.opentelemetry.", "org.springframework.boot.tracing."};

    private boolean dataCommand;

    @Override
    public void setEnvironment(Environment environment) {
        dataCommand = environment.getProperty(PROPERTY, Boolean.class, false);
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] keep = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = !dataCommand || autoConfigurationClasses[i] == null || !serviceOnly(autoConfigurationClasses[i]);
        }
        return keep;
    }

    static boolean serviceOnly(String autoConfiguration) {
        for (String prefix : SERVICE_ONLY) {
            if (autoConfiguration.startsWith(prefix)) {
                return true;
            }
        }
        // the health and metrics parts of other modules' auto-configurations (DataSourceHealthContributor..., ...Metrics...)
        return autoConfiguration.contains(".health.") || autoConfiguration.contains(".metrics.") || autoConfiguration.contains(".observation.");
    }
}
