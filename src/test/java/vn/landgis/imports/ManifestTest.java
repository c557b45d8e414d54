package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest as districts and the import page write it: the CRS spelled any usual way, anything malformed an IOException (a 400, not a 500). */
class ManifestTest {

    @Test
    void theCrsIsReadAsTheOgcServicesReadItAndWrongValuesAreRefusedClearly(@TempDir Path dir) throws IOException {
        Path m = dir.resolve("manifest.json");
        for (String srid : new String[] {"9209", "\"9209\"", "\"EPSG:9209\"", "\"urn:ogc:def:crs:EPSG::9209\""}) {
            Files.writeString(m, "{\"srid\": " + srid + "}");
            assertThat(Manifest.read(m).srid()).as(srid).isEqualTo(9209);
        }
        for (String bad : new String[] {"{\"srid\": 1234}", "{\"srid\": \"EPSG:abc\"}", "{\"srid\": {\"code\": 9209}}", "[1, 2]", "\"text\"",
                "{\"commune\": {\"a\": 1}}", "{\"columns\": {\"landUse\": 12}}", "{\"columns\": {\"landUse\": [{}]}}", "{\"swapAxes\": \"yes\"}",
                "{\"holders\": \"yes\"}", "{\"holders\": 1}", "{\"replaceCommunes\": \"true\"}"}) {
            Files.writeString(m, bad);
            assertThatThrownBy(() -> Manifest.read(m)).as(bad).isInstanceOf(IOException.class);
        }
        // a column's one name without a list
        Files.writeString(m, "{\"columns\": {\"landUse\": \"LoaiDatHT\"}}");
        assertThat(Manifest.read(m).columns()).containsEntry("landUse", java.util.List.of("LoaiDatHT"));
        // the fingerprint tells manifests apart by what they change, not by how they are written
        Files.writeString(m, "{\"swapAxes\": true, \"srid\": 9209}");
        String a = Manifest.read(m).fingerprint();
        Files.writeString(m, "{\"srid\": \"EPSG:9209\", \"swapAxes\": true}");
        assertThat(Manifest.read(m).fingerprint()).isEqualTo(a).startsWith("+m");
        Files.writeString(m, "{}");
        assertThat(Manifest.read(m).fingerprint()).isEmpty();
        // holders: off unless said, and said only when on (a manifest that says false reads as before the option)
        assertThat(Manifest.read(m).holders()).isFalse();
        Files.writeString(m, "{\"holders\": false}");
        assertThat(Manifest.read(m).fingerprint()).isEmpty();
        Files.writeString(m, "{\"holders\": true}");
        assertThat(Manifest.read(m).holders()).isTrue();
        assertThat(Manifest.read(m).fingerprint()).startsWith("+m");
    }

    @Test
    void misspeltEntriesAreRefusedNamingTheOneMeantAndUsualSpellingsAreRead(@TempDir Path dir) throws IOException {
        Path m = dir.resolve("manifest.json");
        // a misspelt entry was ignored without a word: the file read as if it said nothing
        for (String[] bad : new String[][] {{"{\"boundaryLevel\": [10]}", "'boundaryLevel' → 'boundaryLevels'"},
                {"{\"fixplacement\": true}", "'fixplacement' → 'fixPlacement'"}, {"{\"Commune\": \"25456\"}", "'Commune' → 'commune'"},
                {"{\"srid\": 9209, \"swapAxis\": true}", "'swapAxis' → 'swapAxes'"}, {"{\"nonsense\": 1}", "unknown entries [nonsense]"}}) {
            Files.writeString(m, bad[0]);
            assertThatThrownBy(() -> Manifest.read(m)).as(bad[0]).isInstanceOf(IOException.class).hasMessageContaining(bad[1])
                    .hasMessageContaining("mục không biết");
        }
        // what the examples hold, and comments
        Files.writeString(m, "{\"description\": \"Huyện X\", \"district\": \"703\", \"_note\": \"xem lại\", \"srid\": 9209}");
        assertThat(Manifest.read(m).srid()).isEqualTo(9209);
        // Notepad's byte-order mark
        Files.writeString(m, "\uFEFF{\"srid\": 9210}");
        assertThat(Manifest.read(m).srid()).isEqualTo(9210);
        // encodings as people write them
        for (String[] e : new String[][] {{"UTF-8", "UTF8"}, {"utf8", "UTF8"}, {"TCVN3", "TCVN3"}, {"ABC", "TCVN3"}, {"VNI", "VNI_WINDOWS"},
                {"VNI-Windows", "VNI_WINDOWS"}, {"CP1258", "WINDOWS_1258"}, {"windows-1258", "WINDOWS_1258"}}) {
            Files.writeString(m, "{\"encoding\": \"" + e[0] + "\"}");
            assertThat(Manifest.read(m).encoding()).as(e[0]).hasToString(e[1]);
        }
        Files.writeString(m, "{\"encoding\": \"latin1\"}");
        assertThatThrownBy(() -> Manifest.read(m)).hasMessageContaining("unknown encoding");
    }

    /** A plan's manifest too: "line" for "lines" published the plan without its red lines, without a word. */
    @Test
    void aPlansMisspeltEntriesAreRefusedNamingTheOneMeant(@TempDir Path dir) throws IOException {
        Path m = dir.resolve("plan.json");
        String plan = "\"plan\": {\"kind\": \"zoning\", \"name\": \"QH\", \"status\": \"draft\"}";
        for (String[] bad : new String[][] {{"{\"kind\": \"plan\", " + plan + ", \"line\": \"l.geojson\"}", "'line' → 'lines'"},
                {"{\"kind\": \"plan\", " + plan + ", \"zonesLayr\": \"khu\"}", "'zonesLayr' → 'zonesLayer'"},
                {"{\"kind\": \"plan\", \"plan\": {\"kind\": \"zoning\", \"name\": \"QH\", \"statut\": \"draft\"}}", "'plan.statut' → 'plan.status'"},
                {"{\"kind\": \"plan\", \"plan\": {\"kind\": \"zoning\", \"name\": \"QH\", \"decision\": {\"numero\": \"1/QĐ\"}}}",
                        "unknown entries [plan.decision.numero]"}}) {
            Files.writeString(m, bad[0]);
            assertThatThrownBy(() -> PlanManifest.read(m)).as(bad[0]).isInstanceOf(IOException.class).hasMessageContaining(bad[1]);
        }
        // the shipped example reads
        assertThat(PlanManifest.read(Path.of("data-import/manifests/example-plan.json")).name()).startsWith("Quy hoạch phân khu");
    }
}
