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
            default -> {
                System.err.println("unknown command '" + command + "'; use: (no command) | generate | demo-load");
                System.exit(2);
            }
        }
    }
}
