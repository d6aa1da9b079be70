package dev.anneau.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The suite's known quirks, read from the data file {@code quirks.json} next to this class:
 * per-test statuses ({@code expected-unsupported}, {@code known-wrong-expectation}) with their
 * reasons, and operator rules that adapt legacy call forms (e.g. softmax without axis).
 */
public final class Quirks {

    /** A per-test quirk. {@code expectError} is the error name an expected-unsupported test must throw. */
    public record TestQuirk(String name, String file, TestStatus status, String expectError, String reason) {}

    /** An operator rule: when argument {@code argumentIndex} ({@code argument}) is missing, apply {@code rule}. */
    public record OperatorRule(String operator, String rule, int argumentIndex, String argument, String reason) {}

    private final Map<String, TestQuirk> byName;
    private final Map<String, OperatorRule> rules;

    private Quirks(Map<String, TestQuirk> byName, Map<String, OperatorRule> rules) {
        this.byName = Map.copyOf(byName);
        this.rules = Map.copyOf(rules);
    }

    private static final class Holder {
        static final Quirks BUILT_IN = load();
    }

    /** The quirks shipped with the runner. */
    public static Quirks builtIn() { return Holder.BUILT_IN; }

    /** No quirks at all (every test judged on its own data). */
    public static Quirks none() { return new Quirks(Map.of(), Map.of()); }

    private static Quirks load() {
        try (InputStream in = Quirks.class.getResourceAsStream("quirks.json")) {
            if (in == null) throw new IllegalStateException("quirks.json is missing from the class path");
            return parse(WptSuite.JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read quirks.json", e);
        }
    }

    /** Parses the quirks data (the format of {@code quirks.json}). */
    public static Quirks parse(JsonNode root) {
        Map<String, TestQuirk> tests = new HashMap<>();
        for (JsonNode t : root.path("tests")) {
            TestStatus status = TestStatus.fromId(t.path("status").asText());
            if (status != TestStatus.EXPECTED_UNSUPPORTED && status != TestStatus.KNOWN_WRONG_EXPECTATION) {
                throw new IllegalArgumentException("quirks.json: unsupported status '" + status.id() + "' for " + t.path("name").asText());
            }
            TestQuirk q = new TestQuirk(t.path("name").asText(), t.path("file").asText(null), status,
                    t.path("expectError").asText(null), t.path("reason").asText(""));
            tests.put(q.name(), q);
        }
        Map<String, OperatorRule> rules = new HashMap<>();
        for (JsonNode r : root.path("operatorRules")) {
            OperatorRule rule = new OperatorRule(r.path("operator").asText(), r.path("rule").asText(),
                    r.path("argumentIndex").asInt(), r.path("argument").asText(), r.path("reason").asText(""));
            if (!rule.rule().equals("default-axis-last")) throw new IllegalArgumentException("quirks.json: unknown rule " + rule.rule());
            rules.put(rule.operator(), rule);
        }
        return new Quirks(tests, rules);
    }

    /** The quirk of a test (matched by name, and by file when the entry names one), or null. */
    public TestQuirk forTest(String file, String name) {
        TestQuirk q = byName.get(name);
        if (q == null) return null;
        return q.file() == null || q.file().equals(file) ? q : null;
    }

    /** The rule for an operator, or null. */
    public OperatorRule forOperator(String operator) { return rules.get(operator); }

    public List<TestQuirk> testQuirks() { return List.copyOf(byName.values()); }
}
