package dev.anneau.conformance.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anneau.conformance.validation.ValidationSuite.MalformedSuiteException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one recorded call must do.
 * <ul>
 *   <li>{@code null}: return normally ({@link Kind#SUCCEEDS});</li>
 *   <li>{@code {"throws": "TypeError" | "DOMException:X", "via": ...}}: throw synchronously;
 *       with {@code via: "assert_throws_with_label"} the message must contain {@code [label]};</li>
 *   <li>{@code {"rejects": ...}}: return a future that fails with that error;</li>
 *   <li>{@code {"output": {dataType, shape}}} or {@code {"output0": ..., "output1": ...}}: return
 *       operands of exactly those types;</li>
 *   <li>{@code {"resolves": {"float32": [..]}}} (used by recording patches only): a future that
 *       resolves to a buffer holding exactly these little-endian values.</li>
 * </ul>
 */
public record Expectation(Kind kind, String error, String via, List<OutputType> outputs, JsonNode resolvesTo) {

    public enum Kind { SUCCEEDS, THROWS, REJECTS, OUTPUT, RESOLVES }

    /** An expected operand type. */
    public record OutputType(String dataType, long[] shape) {
        @Override
        public String toString() { return dataType + java.util.Arrays.toString(shape); }
    }

    public static final Expectation SUCCEEDS = new Expectation(Kind.SUCCEEDS, null, null, List.of(), null);

    public boolean withLabel() { return "assert_throws_with_label".equals(via); }

    /** The spec error name, without the {@code DOMException:} prefix. */
    public String errorName() {
        return error == null ? null : error.startsWith("DOMException:") ? error.substring("DOMException:".length()) : error;
    }

    public boolean expectsError(String name) { return name.equals(errorName()); }

    static Expectation parse(JsonNode n, String where) {
        if (n == null || n.isNull()) return SUCCEEDS;
        if (!n.isObject()) throw new MalformedSuiteException(where + ": expected null or an object, got " + ValidationSuite.kind(n));
        if (n.has("throws")) {
            return new Expectation(Kind.THROWS, errorText(n.get("throws"), where), textOrNull(n.get("via")), List.of(), null);
        }
        if (n.has("rejects")) {
            return new Expectation(Kind.REJECTS, errorText(n.get("rejects"), where), null, List.of(), null);
        }
        if (n.has("resolves")) return new Expectation(Kind.RESOLVES, null, null, List.of(), n.get("resolves"));
        List<OutputType> outs = new ArrayList<>();
        if (n.has("output")) {
            outs.add(outputType(n.get("output"), where + ".output"));
        } else {
            for (int i = 0; n.has("output" + i); i++) outs.add(outputType(n.get("output" + i), where + ".output" + i));
        }
        if (outs.isEmpty()) {
            throw new MalformedSuiteException(where + ": unknown expectation " + ValidationSuite.kind(n)
                    + "; expected throws, rejects, output or output0..N");
        }
        return new Expectation(Kind.OUTPUT, null, null, List.copyOf(outs), null);
    }

    private static String errorText(JsonNode v, String where) {
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new MalformedSuiteException(where + ": the error must be a name such as TypeError or DOMException:InvalidStateError");
        }
        return v.asText();
    }

    private static String textOrNull(JsonNode v) { return v == null || v.isNull() ? null : v.asText(); }

    private static OutputType outputType(JsonNode n, String where) {
        if (n == null || !n.isObject() || !n.path("dataType").isTextual() || !n.path("shape").isArray()) {
            throw new MalformedSuiteException(where + ": expected {dataType, shape}, got " + ValidationSuite.kind(n));
        }
        JsonNode s = n.get("shape");
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!s.get(i).canConvertToLong()) throw new MalformedSuiteException(where + ".shape[" + i + "]: not an integer: " + s.get(i));
            shape[i] = s.get(i).asLong();
        }
        return new OutputType(n.get("dataType").asText(), shape);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SUCCEEDS -> "success";
            case THROWS -> "throws " + error + (withLabel() ? " (with label)" : "");
            case REJECTS -> "rejects with " + error;
            case OUTPUT -> "output " + outputs;
            case RESOLVES -> "resolves to " + resolvesTo;
        };
    }
}
