package vn.landgis.planning;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import vn.landgis.features.LayerCatalog;
import vn.landgis.features.Viewer;
import vn.landgis.geo.ProvinceProperties;
import vn.landgis.rendering.MapCanvas;
import vn.landgis.rendering.MapComposer;
import vn.landgis.rendering.StyleLibrary;

/**
 * The map of a planning-information sheet: the plan's zones (style {@code planning_zones}) under the parcel
 * outlines ({@code parcels_land_use_outline}), drawn by the map server's own renderer in VN-2000 TM-3, then the
 * road reserves hatched and the parcel itself outlined in red, with a scale bar and a north arrow.
 */
@Component
class SheetMap {

    static final int WIDTH = 1100;
    static final int HEIGHT = 733;

    private final MapComposer composer;
    private final LayerCatalog catalog;
    private final StyleLibrary styles;
    private final JdbcTemplate jdbc;
    private final ProvinceProperties province;

    SheetMap(MapComposer composer, LayerCatalog catalog, StyleLibrary styles, JdbcTemplate jdbc, ProvinceProperties province) {
        this.composer = composer;
        this.catalog = catalog;
        this.styles = styles;
        this.jdbc = jdbc;
        this.province = province;
    }

    BufferedImage draw(PlanningOverlay.Overlay overlay, OffsetDateTime asOf) {
        Geometry land = overlay.geometry();
        Envelope env = new Envelope(land.getEnvelopeInternal());
        // the parcel in the middle third, at least 120 m across, in the canvas's aspect
        double w = Math.max(120, Math.max(env.getWidth(), env.getHeight() * WIDTH / HEIGHT) * 2.6);
        double h = w * HEIGHT / WIDTH;
        Coordinate c = env.centre();
        Envelope bbox = new Envelope(c.x - w / 2, c.x + w / 2, c.y - h / 2, c.y + h / 2);
        double scale = MapComposer.scaleDenominator(bbox, WIDTH, 1) / 2.5;   // printed at about 2.5x the screen pixel
        MapCanvas canvas = new MapCanvas(bbox, WIDTH, HEIGHT, scale, Color.WHITE);
        List<MapComposer.StyledLayer> layers = new ArrayList<>();
        // the zones of the plans in force at the answer's date (the layer's history: decided by then, not superseded
        // before), as the sheet's table lists them (it drew today's zones under a 2020 answer, then none)
        catalog.layer("planning_zones").ifPresent(l -> styles.style("planning_zones").ifPresent(s -> layers.add(new MapComposer.StyledLayer(l, s))));
        catalog.layer("parcels").ifPresent(l -> styles.style("parcels_land_use_outline").ifPresent(s -> layers.add(new MapComposer.StyledLayer(l, s))));
        BufferedImage image = composer.compose(canvas, province.storageSrid(), 1, layers, Viewer.CITIZEN, asOf);

        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            AffineTransform world = new AffineTransform(WIDTH / w, 0, 0, -HEIGHT / h, -bbox.getMinX() * WIDTH / w, bbox.getMaxY() * HEIGHT / h);
            drawReserves(g, world, bbox, overlay.asOf());
            g.setColor(new Color(220, 0, 0));
            g.setStroke(new BasicStroke(5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(path(land, world));
            drawScaleBar(g, w);
            drawNorthArrow(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * Road red lines and corridors in view of the plans in force (now, or at {@code asOf} as the zones' layer and the
     * planning answer take them): their reserve hatched, their centre line dashed.
     */
    private void drawReserves(Graphics2D g, AffineTransform world, Envelope bbox, OffsetDateTime asOf) {
        var reader = new org.locationtech.jts.io.WKBReader();
        List<Object> args = new ArrayList<>();
        String inForce = "p.status = 'in_force'";
        if (asOf != null) {
            inForce = "(p.status = 'in_force' OR p.superseded_at > ?) AND p.status <> 'draft' AND (p.decision_date IS NULL OR p.decision_date <= ?)";
            args.add(asOf);
            args.add(asOf.atZoneSameInstant(java.time.ZoneId.of("Asia/Ho_Chi_Minh")).toLocalDate());
        }
        args.addAll(List.of(bbox.getMinX(), bbox.getMinY(), bbox.getMaxX(), bbox.getMaxY(), province.storageSrid()));
        jdbc.query("SELECT ST_AsBinary(ST_Buffer(l.geom, l.width_m / 2, 'endcap=flat join=mitre')) AS reserve, ST_AsBinary(l.geom) AS line"
                + " FROM planning.line l JOIN planning.plan p ON p.id = l.plan_id AND " + inForce
                + " WHERE l.width_m > 0 AND l.geom && ST_MakeEnvelope(?, ?, ?, ?, ?)", rs -> {
            try {
                Geometry reserve = reader.read(rs.getBytes("reserve"));
                Geometry line = reader.read(rs.getBytes("line"));
                java.awt.Shape shape = path(reserve, world);
                g.setColor(new Color(230, 30, 30, 50));
                g.fill(shape);
                g.setColor(new Color(200, 0, 0, 160));
                g.setStroke(new BasicStroke(2f));
                g.draw(shape);
                g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {18f, 8f, 4f, 8f}, 0f));
                g.draw(path(line, world));
            } catch (org.locationtech.jts.io.ParseException e) {
                throw new IllegalStateException(e);
            }
        }, args.toArray());
    }

    static Path2D path(Geometry geometry, AffineTransform world) {
        Path2D.Double p = new Path2D.Double(Path2D.WIND_EVEN_ODD);
        for (int i = 0; i < geometry.getNumGeometries(); i++) {
            Geometry part = geometry.getGeometryN(i);
            if (part instanceof Polygon poly) {
                ring(p, poly.getExteriorRing(), true);
                for (int k = 0; k < poly.getNumInteriorRing(); k++) {
                    ring(p, poly.getInteriorRingN(k), true);
                }
            } else if (part instanceof LineString line) {
                ring(p, line, false);
            }
        }
        p.transform(world);
        return p;
    }

    private static void ring(Path2D.Double p, LineString ring, boolean close) {
        Coordinate[] cs = ring.getCoordinates();
        for (int i = 0; i < cs.length; i++) {
            if (i == 0) {
                p.moveTo(cs[i].x, cs[i].y);
            } else {
                p.lineTo(cs[i].x, cs[i].y);
            }
        }
        if (close) {
            p.closePath();
        }
    }

    /** A bar of a round length, about a fifth of the map's width, bottom left. */
    private static void drawScaleBar(Graphics2D g, double groundWidth) {
        double target = groundWidth / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(target)));
        double metres = magnitude;
        for (double f : new double[] {1, 2, 5}) {
            if (f * magnitude <= target) {
                metres = f * magnitude;
            }
        }
        int px = (int) Math.round(metres / groundWidth * WIDTH);
        int x = 30;
        int y = HEIGHT - 40;
        g.setColor(new Color(255, 255, 255, 210));
        g.fillRect(x - 12, y - 40, px + 24, 60);
        g.setColor(Color.BLACK);
        g.fillRect(x, y, px / 2, 10);
        g.drawRect(x, y, px, 10);
        g.setFont(new Font("DejaVu Sans", Font.PLAIN, 18));
        g.drawString("0", x - 6, y - 8);
        String label = (metres >= 1000 ? String.format(java.util.Locale.ROOT, "%.0f km", metres / 1000)
                : String.format(java.util.Locale.ROOT, "%.0f m", metres));
        g.drawString(label, x + px - g.getFontMetrics().stringWidth(label) / 2, y - 8);
    }

    private static void drawNorthArrow(Graphics2D g) {
        int x = WIDTH - 60;
        int y = 40;
        g.setColor(new Color(255, 255, 255, 210));
        g.fillOval(x - 30, y - 12, 60, 96);
        Path2D.Double arrow = new Path2D.Double();
        arrow.moveTo(x, y);
        arrow.lineTo(x + 14, y + 50);
        arrow.lineTo(x, y + 40);
        arrow.lineTo(x - 14, y + 50);
        arrow.closePath();
        g.setColor(Color.BLACK);
        g.fill(arrow);
        g.setFont(new Font("DejaVu Sans", Font.BOLD, 22));
        g.drawString("B", x - 8, y + 74);
    }
}
