package vn.landgis.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import vn.landgis.geo.VietnameseEncoding;

/**
 * {@code java -jar landgis.jar generate [options]}: writes a synthetic district delivery to a folder.
 */
public final class GeneratorCommand {

    static final String USAGE = """
            usage: landgis generate [--seed N] [--parcels N] [--district CODE] [--format gpkg,geojson,shp,dgn,dxf]
                                    [--encoding utf8|tcvn3|vni] [--cpg truth|none|lie]
                                    [--defects kind=rate,...] --out DIR
              --district   former district whose place and communes to use: %s (default 794, Tân An)
              --defects    kinds: %s; rate is a fraction
                           of parcels (of map sheets for wrong-meridian, missing-datum-shift), e.g. overlap=0.01
            writes parcels, communes, map_sheets, planning_zones (gpkg: one file; geojson: one file each;
            shp: parcels only; dgn, dxf: FAMIS-style map sheets, boundary lines and label texts, one file per
            sheet in the folder dgn/ or dxf/, through GDAL's ogr2ogr), and defects.csv listing every injected defect.""";

    private GeneratorCommand() {
    }

    /** Runs the command; returns the process exit code. */
    public static int run(String[] args) {
        long seed = 1;
        int parcels = 20_000;
        String district = "794";
        Set<String> formats = new LinkedHashSet<>(java.util.List.of("gpkg"));
        VietnameseEncoding encoding = VietnameseEncoding.UTF8;
        Cpg cpg = Cpg.TRUTH;
        Map<Defect, Double> defects = new EnumMap<>(Defect.class);
        Path out = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--parcels" -> parcels = Integer.parseInt(args[++i].replace("_", ""));
                    case "--district" -> district = args[++i];
                    case "--format" -> {
                        formats.clear();
                        for (String f : args[++i].split(",")) {
                            if (!Set.of("gpkg", "geojson", "shp", "dgn", "dxf").contains(f.trim())) {
                                throw new IllegalArgumentException("unknown format " + f);
                            }
                            formats.add(f.trim());
                        }
                    }
                    case "--encoding" -> encoding = switch (args[++i].toLowerCase(Locale.ROOT)) {
                        case "utf8", "utf-8" -> VietnameseEncoding.UTF8;
                        case "tcvn3", "abc" -> VietnameseEncoding.TCVN3;
                        case "vni", "vni-windows" -> VietnameseEncoding.VNI_WINDOWS;
                        case "1258", "cp1258", "windows-1258" -> VietnameseEncoding.WINDOWS_1258;
                        default -> throw new IllegalArgumentException("unknown encoding " + args[i]);
                    };
                    case "--cpg" -> cpg = Cpg.parse(args[++i]);
                    case "--defects" -> {
                        for (String kv : args[++i].split(",")) {
                            String[] p = kv.split("=");
                            if (p.length != 2) {
                                throw new IllegalArgumentException("defect '" + kv + "' is not kind=rate");
                            }
                            defects.put(Defect.parse(p[0]), Double.parseDouble(p[1]));
                        }
                    }
                    case "--out" -> out = Path.of(args[++i]);
                    case "-h", "--help" -> {
                        System.out.println(usage());
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (out == null) {
                throw new IllegalArgumentException("--out DIR is required");
            }
        } catch (RuntimeException e) {
            System.err.println("generate: " + e.getMessage());
            System.err.println(usage());
            return 2;
        }
        try {
            long t0 = System.nanoTime();
            Files.createDirectories(out);
            System.err.printf("generating %,d parcels of district %s (seed %d)...%n", parcels, district, seed);
            SyntheticDistrict d = CadastreGenerator.generate(new CadastreGenerator.Options(seed, parcels, district, defects));
            System.err.printf("  %,d parcels, %d communes, %d map sheets, %d planning zones, %d defects in %.1f s%n",
                    d.parcels().size(), d.communeGeometries().size(), d.sheets().size(), d.planningZones().size(),
                    d.defects().size(), (System.nanoTime() - t0) / 1e9);
            write(d, out, formats, encoding, cpg);
            System.err.printf("written to %s in %.1f s%n", out, (System.nanoTime() - t0) / 1e9);
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("generate failed: " + e);
            return 1;
        }
    }

    /** Writes the district in the given formats into {@code out}, with defects.csv. */
    public static void write(SyntheticDistrict d, Path out, Set<String> formats, VietnameseEncoding encoding,
                             Cpg cpg) throws IOException {
        Files.createDirectories(out);
        for (String format : formats) {
            long t = System.nanoTime();
            switch (format) {
                case "gpkg" -> GeoPackageWriter.write(d, out.resolve("district.gpkg"));
                case "geojson" -> GeoJsonWriter.write(d, out);
                case "shp" -> ShapefileWriter.write(d, out, "parcels", encoding, cpg == null ? Cpg.TRUTH : cpg);
                case "dgn", "dxf" -> FamisWriter.write(d, out.resolve(format), format, 0, 0);
                default -> throw new IllegalArgumentException(format);
            }
            System.err.printf("  %-8s %.1f s%n", format, (System.nanoTime() - t) / 1e9);
        }
        GeoJsonWriter.writeDefects(d, out.resolve("defects.csv"));
    }

    static String usage() {
        return USAGE.formatted(DistrictProfile.knownCodes(), java.util.Arrays.stream(Defect.values()).map(Defect::key).toList());
    }
}
