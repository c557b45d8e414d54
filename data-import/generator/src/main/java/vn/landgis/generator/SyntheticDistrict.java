package vn.landgis.generator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.operation.overlayng.CoverageUnion;
import org.locationtech.jts.triangulate.VoronoiDiagramBuilder;

import vn.landgis.geo.Vn2000Tm3;

/**
 * A generated district: parcels, the communes and map sheets they lie in, planning zones over them and the
 * list of injected defects. Coordinates are in {@link #crs()}, the TM-3 system of the district's sheets.
 */
public final class SyntheticDistrict {

    /** A map sheet: numbered from 1 in its commune; {@code frame} is its square on the national grid. */
    public record Sheet(String communeCode, int sheetNo, int scale, String gridRef, double[] frame) {
    }

    /** An injected defect: what, where (parcel key or sheet), and a point near it. */
    public record InjectedDefect(Defect kind, String communeCode, int sheetNo, int parcelNo, double x, double y) {
    }

    /** A zone of the synthetic zoning plan over the district. */
    public record PlanningZone(String zoneCode, String plannedUse, double density, int maxFloors, double floorAreaRatio,
                               Geometry geometry) {
    }

    private final DistrictProfile profile;
    private final CadastreGenerator.Options options;
    private final List<GeneratedParcel> parcels;
    final List<Sheet> sheets = new ArrayList<>();
    final List<InjectedDefect> defects = new ArrayList<>();
    private final Map<String, Geometry> communeGeometries = new LinkedHashMap<>();
    private final List<PlanningZone> zones = new ArrayList<>();
    private final GeometryFactory geometryFactory;

    SyntheticDistrict(DistrictProfile profile, CadastreGenerator.Options options, List<GeneratedParcel> parcels) {
        this.profile = profile;
        this.options = options;
        this.parcels = parcels;
        this.geometryFactory = new GeometryFactory(new PrecisionModel(), profile.sourceCrs().srid());
    }

    public DistrictProfile profile() { return profile; }
    public CadastreGenerator.Options options() { return options; }
    public Vn2000Tm3 crs() { return profile.sourceCrs(); }
    public List<GeneratedParcel> parcels() { return parcels; }
    public List<Sheet> sheets() { return sheets; }
    public List<InjectedDefect> defects() { return defects; }
    public Map<String, Geometry> communeGeometries() { return communeGeometries; }
    public List<PlanningZone> planningZones() { return zones; }

    /** Communes as unions of their (clean) parcels, then the zoning plan. Called once the parcels are final. */
    void finish() {
        defects.sort(Comparator.comparing(InjectedDefect::kind).thenComparing(InjectedDefect::communeCode)
                .thenComparingInt(InjectedDefect::sheetNo).thenComparingInt(InjectedDefect::parcelNo));
        Map<String, List<Geometry>> byCommune = new LinkedHashMap<>();
        for (DistrictProfile.Commune c : profile.communes()) {
            byCommune.put(c.code(), new ArrayList<>());
        }
        for (GeneratedParcel p : parcels) {
            byCommune.get(p.communeCode).add(polygon(p.cleanRing != null ? p.cleanRing : p.rings[0]));
        }
        byCommune.forEach((code, list) -> {
            if (!list.isEmpty()) {
                communeGeometries.put(code, CoverageUnion.union(geometryFactory.buildGeometry(list)));
            }
        });
        Geometry district = CoverageUnion.union(geometryFactory.buildGeometry(communeGeometries.values()));
        makeZones(district);
    }

    private void makeZones(Geometry district) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(options.seed() ^ 0xC0FFEEL);
        int count = Math.max(12, parcels.size() / 600);
        var env = district.getEnvelopeInternal();
        List<Coordinate> sites = new ArrayList<>();
        while (sites.size() < count) {
            Coordinate c = new Coordinate(env.getMinX() + rng.nextDouble() * env.getWidth(), env.getMinY() + rng.nextDouble() * env.getHeight());
            if (district.contains(geometryFactory.createPoint(c))) {
                sites.add(c);
            }
        }
        VoronoiDiagramBuilder builder = new VoronoiDiagramBuilder();
        builder.setSites(sites);
        builder.setClipEnvelope(env);
        Geometry cells = builder.getDiagram(geometryFactory);
        String[] uses = {"ODT", "ODT", "ONT", "TMD", "DGD", "DYT", "DKV", "SKC", "CLN", "LUC", "DTT", "DGT"};
        var prepared = org.locationtech.jts.geom.prep.PreparedGeometryFactory.prepare(district);
        for (int k = 0; k < cells.getNumGeometries(); k++) {
            Geometry cell = cells.getGeometryN(k);
            Geometry zone = prepared.containsProperly(cell) ? cell : cell.intersection(district);
            if (!(zone instanceof Polygon) && !(zone instanceof org.locationtech.jts.geom.MultiPolygon)) {
                zone = geometryFactory.buildGeometry(org.locationtech.jts.geom.util.PolygonExtracter.getPolygons(zone));
            }
            if (zone.isEmpty()) {
                continue;
            }
            String use = uses[rng.nextInt(uses.length)];
            boolean built = !use.equals("CLN") && !use.equals("LUC") && !use.equals("DKV") && !use.equals("DGT");
            zones.add(new PlanningZone(String.format("PK-%03d", zones.size() + 1), use,
                    built ? 40 + rng.nextInt(9) * 5 : 5 + rng.nextInt(3) * 5, built ? 3 + rng.nextInt(10) : 1,
                    built ? Math.round((1 + rng.nextDouble() * 4) * 10) / 10.0 : 0.1, zone));
        }
    }

    Polygon polygon(double[] xy) {
        Coordinate[] cs = new Coordinate[xy.length / 2];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = new Coordinate(xy[2 * i], xy[2 * i + 1]);
        }
        return geometryFactory.createPolygon(cs);
    }
}
