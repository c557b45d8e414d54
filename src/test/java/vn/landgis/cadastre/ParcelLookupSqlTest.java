package vn.landgis.cadastre;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import vn.landgis.geo.ProvinceProperties;

/** The benchmark's raw-SQL side runs exactly the service's point look-up, so the ratio compares like with like. */
class ParcelLookupSqlTest {

    @Test
    void pgbenchScriptRunsTheServicesPointLookup() throws Exception {
        var province = new ProvinceProperties("80", "Tây Ninh", 9210, List.of(105.45, 10.35, 106.85, 11.82));
        String sql = ParcelLookup.pointSql(province.storageSrid(), ParcelLookup.Audience.PUBLIC, null);
        // the service binds: lon, lat, 4326, output srid 4326, 8 digits, tolerance 5
        String[] values = {":lon", ":lat", "4326", "4326", "8", "5"};
        StringBuilder expected = new StringBuilder();
        int v = 0;
        for (char c : sql.toCharArray()) {
            expected.append(c == '?' ? values[v++] : String.valueOf(c));
        }
        String script = Files.readString(Path.of("bench/lookup-pgbench.sql"));
        String query = script.substring(script.indexOf("WITH pt AS")).strip();
        assertThat(query.replaceAll("\\s+", " ")).isEqualTo(expected.toString().replaceAll("\\s+", " ") + ";");
    }
}
