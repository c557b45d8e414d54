package vn.landgis.changes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;

import vn.landgis.cadastre.AdminBoundariesChanged;
import vn.landgis.cadastre.RegisterChanged;
import vn.landgis.fieldreports.ReportStatusChanged;
import vn.landgis.fieldreports.ReportSubmitted;
import vn.landgis.planning.PlansChanged;

/** The announcements' text: every change event there and back; what is no announcement refused. */
class ChangeMessageTest {

    @Test
    void everyChangeEventGoesThereAndBack() {
        Envelope e = new Envelope(560_123.25, 561_004.5, 1_210_000.125, 1_211_230.75);
        for (Object event : List.of(new RegisterChanged(17, e, 9210), new RegisterChanged(18, null, 9210),
                new AdminBoundariesChanged(e, 9209), new PlansChanged(4, e, 9210), new PlansChanged(5, new Envelope(105.5, 106, 10.5, 11), 4326),
                new ReportSubmitted(99, 106.1234567, 11.0987654), new ReportStatusChanged(99, "in_progress", 106.1, 11.1))) {
            String payload = ChangeMessage.encode("process-a", event).orElseThrow();
            var heard = ChangeMessage.decode(payload).orElseThrow();
            assertThat(heard.from()).isEqualTo("process-a");
            assertThat(heard.event()).as(payload).isEqualTo(event);
        }
        assertThat(ChangeMessage.encode("process-a", "something else")).isEmpty();
    }

    @Test
    void whatIsNoAnnouncementIsRefused() {
        for (String payload : new String[] {
                null, "", "not json", "[1, 2]", "{}", "{\"kind\":\"register\",\"srid\":9210}",
                "{\"from\":\"x\",\"kind\":\"nuke\"}",
                "{\"from\":\"x\",\"kind\":\"register\",\"id\":1,\"srid\":1234,\"extent\":[0,0,1,1]}",
                "{\"from\":\"x\",\"kind\":\"register\",\"id\":1,\"srid\":9210,\"extent\":[1e400,0,1,1]}",
                "{\"from\":\"x\",\"kind\":\"register\",\"id\":1,\"srid\":9210,\"extent\":[5,5,1,1]}",
                "{\"from\":\"x\",\"kind\":\"register\",\"id\":1,\"srid\":9210,\"extent\":[0,0,1]}",
                "{\"from\":\"x\",\"kind\":\"register\",\"id\":1,\"srid\":9210,\"extent\":[\"0\",0,1,1]}",
                "{\"from\":\"x\",\"kind\":\"register\",\"id\":\"1; DROP TABLE cadastre.parcel\",\"srid\":9210}",
                "{\"from\":\"x\",\"kind\":\"plans\",\"id\":1}",
                "{\"from\":\"x\",\"kind\":\"report-submitted\",\"id\":1,\"lon\":206,\"lat\":11}",
                "{\"from\":\"x\",\"kind\":\"report-status\",\"id\":1,\"status\":\"<script>\",\"lon\":106,\"lat\":11}",
                "{\"from\":\"" + "x".repeat(200) + "\",\"kind\":\"boundaries\",\"srid\":9210}",
                "{\"from\":\"x\",\"kind\":\"boundaries\",\"srid\":9210,\"pad\":\"" + "y".repeat(8_000) + "\"}"}) {
            assertThat(ChangeMessage.decode(payload)).as(String.valueOf(payload)).isEmpty();
        }
        // members it does not know are no reason to refuse (a newer process may say more)
        assertThat(ChangeMessage.decode("{\"from\":\"x\",\"kind\":\"boundaries\",\"srid\":9210,\"by\":\"cli\"}").orElseThrow().event())
                .isEqualTo(new AdminBoundariesChanged(null, 9210));
    }
}
