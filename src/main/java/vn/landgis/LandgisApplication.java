package vn.landgis;

import java.util.Arrays;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import vn.landgis.generator.GeneratorCommand;

/**
 * The landgis service, and its command line:
 * <ul>
 *   <li>no arguments: the web service (OGC, REST API, web map);</li>
 *   <li>{@code generate ...}: the synthetic cadastre generator, no database needed;</li>
 *   <li>{@code demo-load ...}: migrate the database and load a generated demo district, then exit.</li>
 * </ul>
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LandgisApplication {

    /**
     * {@code create-user --username NAME --role ROLE[,ROLE]}: makes or resets a local account. The password comes
     * from {@code LANDGIS_NEW_PASSWORD} or is asked twice on the console; there is no default one.
     */
    static int createUser(String[] args) {
        String username = null;
        String roles = null;
        java.util.List<String> springArgs = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--username" -> username = i + 1 < args.length ? args[++i] : null;
                case "--role", "--roles" -> roles = i + 1 < args.length ? args[++i] : null;
                default -> springArgs.add(args[i]);
            }
        }
        if (username == null || roles == null) {
            System.err.println("usage: landgis create-user --username NAME --role LAND_OFFICER|PLANNER|INVESTOR|IOC[,...]");
            return 2;
        }
        char[] password = passwordFromEnvironmentOrConsole();
        if (password == null) {
            return 2;
        }
        var context = new SpringApplicationBuilder(LandgisApplication.class).web(WebApplicationType.NONE)
                .run(springArgs.toArray(String[]::new));
        try {
            java.util.Set<String> roleSet = new java.util.TreeSet<>();
            for (String r : roles.split(",")) {
                roleSet.add(vn.landgis.platform.Roles.normalise(r).orElse(r.trim()));
            }
            context.getBean(vn.landgis.platform.UserAccounts.class).save(username, password, roleSet);
            System.err.println("account '" + username + "' saved with roles " + roleSet);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("create-user: " + e.getMessage());
            return 2;
        } finally {
            java.util.Arrays.fill(password, '\0');
            context.close();
        }
    }

    private static char[] passwordFromEnvironmentOrConsole() {
        String env = System.getenv("LANDGIS_NEW_PASSWORD");
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        var console = System.console();
        if (console == null) {
            System.err.println("create-user: set LANDGIS_NEW_PASSWORD or run it in a terminal");
            return null;
        }
        char[] first = console.readPassword("Mật khẩu / password: ");
        char[] second = console.readPassword("Nhập lại / again: ");
        if (first == null || !java.util.Arrays.equals(first, second)) {
            System.err.println("create-user: the passwords differ");
            return null;
        }
        return first;
    }

    /**
     * A data command's arguments: {@code --district CODE}, {@code --manifest FILE}, {@code --dry-run}, one path, and
     * the rest ({@code --name=value}) for Spring.
     */
    record DataCommand(String district, String manifest, boolean dryRun, String path, java.util.List<String> springArgs) {

        static DataCommand parse(String[] args) {
            String district = null;
            String manifest = null;
            boolean dryRun = false;
            String path = null;
            java.util.List<String> spring = new java.util.ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--district" -> district = i + 1 < args.length ? args[++i] : null;
                    case "--dry-run" -> dryRun = true;
                    case "--manifest" -> manifest = i + 1 < args.length ? args[++i] : null;
                    default -> {
                        if (args[i].startsWith("--")) {
                            spring.add(args[i]);
                        } else {
                            path = args[i];
                        }
                    }
                }
            }
            return new DataCommand(district, manifest, dryRun, path, spring);
        }

        java.nio.file.Path manifestPath() {
            return manifest == null ? null : java.nio.file.Path.of(manifest);
        }

        /**
         * The context a data command runs in. Lazy: the command needs the import service and what it uses, not the
         * map, tile and report machinery; and no JPA (the import is JDBC; Hibernate's start and the repositories,
         * created eagerly, were 1.7 s of every run).
         */
        org.springframework.context.ConfigurableApplicationContext context() {
            // the terminal shows the progress bar, the summary and warnings; the log file keeps every INFO line
            // (--logging.threshold.console=INFO shows them on the terminal too); structured console logs (a container's
            // LANDGIS_LOG_FORMAT) keep them all, the console being where they are collected
            String structured = System.getenv("LANDGIS_LOG_FORMAT");
            return new SpringApplicationBuilder(LandgisApplication.class).web(WebApplicationType.NONE).lazyInitialization(true)
                    .logStartupInfo(false)
                    .properties("spring.autoconfigure.exclude=org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
                            + "org.springframework.boot.hibernate.autoconfigure.metrics.HibernateMetricsAutoConfiguration,"
                            + "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
                            "logging.threshold.console=" + (structured == null || structured.isBlank() ? "WARN" : "INFO"),
                            DataCommandAutoConfigurationFilter.PROPERTY + "=true")
                    .run(springArgs.toArray(String[]::new));
        }
    }

    /** {@code import --district CODE [--manifest FILE] [--dry-run] PATH}. */
    static int importDelivery(String[] args) {
        DataCommand c = DataCommand.parse(args);
        if ((c.district() == null && c.manifest() == null) || c.path() == null) {
            System.err.println(vn.landgis.imports.ImportCommand.USAGE);
            return 2;
        }
        try (var context = c.context()) {
            return vn.landgis.imports.ImportCommand.run(context, c.district(), c.manifestPath(), c.dryRun(), java.nio.file.Path.of(c.path()));
        }
    }

    /**
     * {@code boundaries --district CODE [--manifest FILE] FILE}: the district's commune boundaries from a polygon layer
     * ({@link vn.landgis.imports.BoundaryImport}).
     */
    static int importBoundaries(String[] args) {
        if (java.util.Arrays.asList(args).contains("--province")) {
            return importProvince(java.util.Arrays.stream(args).filter(a -> !a.equals("--province")).toArray(String[]::new));
        }
        DataCommand c = DataCommand.parse(args);
        if (c.district() == null || c.path() == null) {
            System.err.println("usage: landgis boundaries --district CODE [--manifest FILE] FILE (a polygon layer of the district's communes, "
                    + "with their code in a column such as MaXa)");
            return 2;
        }
        try (var context = c.context()) {
            var outcome = context.getBean(vn.landgis.imports.BoundaryImport.class).run(c.district(), java.nio.file.Path.of(c.path()),
                    c.manifestPath(), "cli:" + System.getProperty("user.name", "?"));
            System.out.println("ranh giới xã / commune boundaries: " + outcome.communes().size() + " loaded " + outcome.communes()
                    + " (EPSG:" + outcome.sourceSrid() + ", " + outcome.crsNote() + ")"
                    + (outcome.missing().isEmpty() ? "" : "; not in the file, unchanged: " + outcome.missing()));
            return 0;
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("boundaries failed: " + e.getMessage());
            return 1;
        }
    }

    /** {@code boundaries --province [--manifest FILE] FILE}: the province's outline ({@link vn.landgis.imports.BoundaryImport#runProvince}). */
    static int importProvince(String[] args) {
        DataCommand c = DataCommand.parse(args);
        if (c.path() == null) {
            System.err.println("usage: landgis boundaries --province [--manifest FILE] FILE (a polygon layer of the province's outline)");
            return 2;
        }
        try (var context = c.context()) {
            var outcome = context.getBean(vn.landgis.imports.BoundaryImport.class).runProvince(java.nio.file.Path.of(c.path()),
                    c.manifestPath(), "cli:" + System.getProperty("user.name", "?"));
            System.out.println(String.format(java.util.Locale.ROOT, "ranh giới tỉnh / province outline %s: %d polygons, %.1f km² (EPSG:%d, %s)",
                    outcome.province(), outcome.polygons(), outcome.areaKm2(), outcome.sourceSrid(), outcome.crsNote()));
            return 0;
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("boundaries failed: " + e.getMessage());
            return 1;
        }
    }

    public static void main(String[] args) {
        String command = args.length > 0 && !args[0].startsWith("-") ? args[0] : "serve";
        String[] rest = args.length > 0 && !args[0].startsWith("-") ? Arrays.copyOfRange(args, 1, args.length) : args;
        switch (command) {
            case "serve" -> new SpringApplicationBuilder(LandgisApplication.class).run(rest);
            case "generate" -> System.exit(GeneratorCommand.run(rest));
            case "demo-load" -> {
                String[] withDemo = Arrays.copyOf(rest, rest.length + 1);
                withDemo[rest.length] = "--landgis.demo.load-on-start=true";
                var context = new SpringApplicationBuilder(LandgisApplication.class)
                        .web(WebApplicationType.NONE)
                        .run(withDemo);
                System.exit(org.springframework.boot.SpringApplication.exit(context));
            }
            case "create-user" -> System.exit(createUser(rest));
            case "import" -> System.exit(importDelivery(rest));
            case "boundaries" -> System.exit(importBoundaries(rest));
            default -> {
                System.err.println("unknown command '" + command + "'; use: (no command) | generate | demo-load | create-user | import | boundaries");
                System.exit(2);
            }
        }
    }
}
