package vn.landgis.ows;

import java.io.IOException;
import java.io.OutputStream;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import vn.landgis.features.Viewer;

/** WMTS RESTful encoding: {@code /wmts/1.0.0/WMTSCapabilities.xml} and {@code /wmts/{layer}/{style}/{set}/{z}/{row}/{col}.{png|mvt}}. */
@Controller
class WmtsRestController {

    private final WmtsService wmts;

    WmtsRestController(WmtsService wmts) {
        this.wmts = wmts;
    }

    @GetMapping("/wmts/1.0.0/WMTSCapabilities.xml")
    void capabilities(HttpServletResponse response) throws IOException {
        String base = ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        write(response, () -> wmts.capabilities(viewer(), base + "/ows", base + "/wmts"));
    }

    @GetMapping("/wmts/{layer}/{style}/{set}/{z}/{row}/{col}.{ext}")
    void tile(@PathVariable String layer, @PathVariable String style, @PathVariable String set, @PathVariable int z,
              @PathVariable long row, @PathVariable long col, @PathVariable String ext,
              @RequestParam(name = "asOf", required = false) String asOf, HttpServletResponse response) throws IOException {
        write(response, () -> {
            if (!set.equals(WmtsService.MATRIX_SET)) {
                throw OwsException.invalid("TileMatrixSet", "Chỉ có / only " + WmtsService.MATRIX_SET);
            }
            long n = z < 0 || z > vn.landgis.tiles.TileGrid.MAX_ZOOM ? 0 : 1L << z;
            if (n == 0 || row < 0 || row >= n || col < 0 || col >= n) {
                throw new OwsException("TileOutOfRange", "TileMatrix", "Ô lưới ngoài phạm vi / tile out of range");
            }
            Viewer v = viewer();
            return wmts.tile(wmts.layer(layer, v), style, ext, z, col, row, v, asOf);
        });
    }

    private static Viewer viewer() {
        return Viewer.of(SecurityContextHolder.getContext().getAuthentication());
    }

    private static void write(HttpServletResponse response, java.util.function.Supplier<OwsResponse> answer) throws IOException {
        OwsResponse r;
        try {
            r = answer.get();
        } catch (OwsException e) {
            OwsController.writeOwsException(response, e, "1.0.0");
            return;
        }
        response.setContentType(r.contentType());
        r.headers().forEach(response::setHeader);
        try (OutputStream out = response.getOutputStream()) {
            r.body().writeTo(out);
        }
    }
}
