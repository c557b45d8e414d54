package vn.landgis.rendering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class LegendRendererTest {

    private static final StyleLibrary STYLES = StyleLibrary.fromDirectory(Path.of("styles"));

    @Test
    void oneRowPerRule() {
        Style parcels = STYLES.style("parcels").orElseThrow();
        int items = parcels.legendItems(Double.NaN).size();
        BufferedImage legend = LegendRenderer.render(parcels, null, 20, 20, Double.NaN);
        assertThat(legend.getHeight()).isEqualTo(items * 20);
        assertThat(legend.getWidth()).isGreaterThan(20 + 100);
        // each row's icon is filled at its centre (fills, outline and label sample alike draw something)
        for (int row = 0; row < items; row++) {
            boolean drawn = false;
            for (int y = row * 20; y < row * 20 + 20 && !drawn; y++) {
                for (int x = 0; x < 20 && !drawn; x++) {
                    drawn = (legend.getRGB(x, y) >>> 24) != 0;
                }
            }
            assertThat(drawn).as("row %d", row).isTrue();
        }
        // the first row is the first rule (LUC) and has its title text to the right
        assertThat(legend.getRGB(10, 10)).isEqualTo(0xFFFFFC8C);
        boolean text = false;
        for (int x = 26; x < legend.getWidth(); x++) {
            text |= (legend.getRGB(x, 10) >>> 24) != 0;
        }
        assertThat(text).isTrue();
        assertThat(legend.getRGB(legend.getWidth() - 1, legend.getHeight() - 1) >>> 24).isZero();
    }

    @Test
    void legendAtAScaleListsOnlyTheActiveRules() {
        Style parcels = STYLES.style("parcels").orElseThrow();
        int all = parcels.legendItems(Double.NaN).size();
        assertThat(LegendRenderer.render(parcels, null, 20, 20, 100_000).getHeight()).isEqualTo((all - 3) * 20);
    }

    @Test
    void singleRuleIconIsFilledWithItsColour() {
        Style parcels = STYLES.style("parcels").orElseThrow();
        BufferedImage icon = LegendRenderer.render(parcels, "ONT", 20, 20, Double.NaN);
        assertThat(icon.getWidth()).isEqualTo(20);
        assertThat(icon.getHeight()).isEqualTo(20);
        assertThat(icon.getRGB(10, 10)).isEqualTo(0xFFFFD0FF);
        assertThat(icon.getRGB(0, 0) >>> 24).isZero();
        BufferedImage report = LegendRenderer.render(STYLES.style("field_reports_status").orElseThrow(), "open", 16, 16, Double.NaN);
        assertThat(report.getRGB(8, 8)).isEqualTo(0xFFD7191C);
        assertThatThrownBy(() -> LegendRenderer.render(parcels, "nope", 20, 20, Double.NaN)).isInstanceOf(StyleException.class);
    }
}
