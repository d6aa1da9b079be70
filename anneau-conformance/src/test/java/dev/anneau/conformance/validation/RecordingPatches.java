package dev.anneau.conformance.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anneau.conformance.validation.ValidationSuite.MalformedSuiteException;
import dev.anneau.conformance.validation.ValidationSuite.Subtest;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Corrections of the recording for subtests whose calls the extractor lost or misattributed
 * (e.g. {@code graph.destroy()} is not recorded, a {@code destroy()} of a second context was
 * recorded as the test context's). Each entry of {@code validation-recording-patches.json}
 * replaces one subtest's call list and says why, citing the raw WPT file.
 */
public final class RecordingPatches {
    public static final String RESOURCE = "/validation-recording-patches.json";

    private final Map<String, Subtest> byName = new HashMap<>();
    private final Map<String, String> why = new HashMap<>();

    private RecordingPatches() {}

    public static RecordingPatches load() {
        RecordingPatches p = new RecordingPatches();
        try (InputStream in = RecordingPatches.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return p;
            JsonNode root = new ObjectMapper().readTree(in);
            if (!root.isArray()) throw new MalformedSuiteException(RESOURCE + ": expected an array");
            for (int i = 0; i < root.size(); i++) {
                JsonNode e = root.get(i);
                String where = RESOURCE + "[" + i + "]";
                if (!e.path("why").isTextual() || e.path("why").asText().isBlank()) {
                    throw new MalformedSuiteException(where + ": every patch needs a 'why'");
                }
                Subtest t = ValidationSuite.parseSubtest(e.path("file").asText(), e, where);
                if (p.byName.put(t.name(), t) != null) throw new MalformedSuiteException(where + ": '" + t.name() + "' is patched twice");
                p.why.put(t.name(), e.get("why").asText());
            }
        } catch (IOException e) {
            throw new MalformedSuiteException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
        return p;
    }

    /** The patched subtest, or {@code t} itself. */
    public Subtest apply(Subtest t) {
        Subtest p = byName.get(t.name());
        return p == null ? t : new Subtest(t.file(), t.name(), p.calls());
    }

    public boolean patches(String name) { return byName.containsKey(name); }

    public java.util.Set<String> names() { return byName.keySet(); }

    public String why(String name) { return why.get(name); }
}
