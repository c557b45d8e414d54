package vn.landgis.cadastre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** The asOf parameter every history-aware endpoint takes (look-ups, planning, WMS, WFS). */
class AsOfTest {

    @Test
    void aDateIsTheEndOfThatDayInVietnam() {
        assertThat(ParcelLookup.parseAsOf("2024-07-01")).isEqualTo(OffsetDateTime.parse("2024-07-01T23:59:59.999999+07:00"));
    }

    @Test
    void aDateTimeWithoutOffsetIsVietnamsTimeAndOneWithAnOffsetIsTakenAsWritten() {
        assertThat(ParcelLookup.parseAsOf("2024-07-01T10:00:00")).isEqualTo(OffsetDateTime.parse("2024-07-01T10:00+07:00"));
        assertThat(ParcelLookup.parseAsOf("2024-07-01T10:00")).isEqualTo(OffsetDateTime.parse("2024-07-01T10:00+07:00"));
        assertThat(ParcelLookup.parseAsOf("2024-07-01T03:00:00Z").toInstant()).isEqualTo(OffsetDateTime.parse("2024-07-01T10:00+07:00").toInstant());
        assertThat(ParcelLookup.parseAsOf("2024-07-01T10:00:00.5-07:00")).isEqualTo(OffsetDateTime.parse("2024-07-01T10:00:00.5-07:00"));
    }

    @Test
    void anythingElseIsABadRequest() {
        for (String bad : new String[] {"yesterday", "2024-13-01", "2024-07-01T25:00", "01/07/2024", "2024-07-01T10:00:00+99:00"}) {
            assertThatThrownBy(() -> ParcelLookup.parseAsOf(bad)).as(bad).isInstanceOf(vn.landgis.platform.ApiProblem.class);
        }
    }
}
