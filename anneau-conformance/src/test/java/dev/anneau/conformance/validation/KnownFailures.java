package dev.anneau.conformance.validation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code validation-known-failures.tsv}: {@code subtest name<TAB>reason} per line; {@code #}
 * starts a comment line. A listed subtest that fails is reported as skipped with the reason; one
 * that passes fails the run so the list stays honest (except {@link #nondeterministic} ones).
 */
public final class KnownFailures {
    public static final String RESOURCE = "/validation-known-failures.tsv";

    private final Map<String, String> reasons;

    private KnownFailures(Map<String, String> reasons) { this.reasons = reasons; }

    public static KnownFailures load() {
        Map<String, String> m = new LinkedHashMap<>();
        try (InputStream in = KnownFailures.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return new KnownFailures(m);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) continue;
                int tab = line.indexOf('\t');
                if (tab <= 0 || line.substring(tab + 1).isBlank()) {
                    throw new IllegalStateException(RESOURCE + " line " + n + ": expected 'subtest name<TAB>reason', got: " + line);
                }
                String name = line.substring(0, tab);
                if (m.put(name, line.substring(tab + 1).trim()) != null) {
                    throw new IllegalStateException(RESOURCE + " line " + n + ": '" + name + "' is listed twice");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
        return new KnownFailures(m);
    }

    /**
     * A reason starting with {@code nondeterministic:} marks a subtest whose outcome depends on
     * thread timing; it is reported as skipped whatever this run's outcome.
     */
    public static boolean nondeterministic(String reason) { return reason.startsWith("nondeterministic:"); }

    /** The reason, or null when {@code name} is not listed. */
    public String reason(String name) { return reasons.get(name); }

    public Map<String, String> all() { return reasons; }
}
