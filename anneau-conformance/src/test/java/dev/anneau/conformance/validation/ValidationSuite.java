package dev.anneau.conformance.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The WPT WebNN validation suite as extracted into {@code testdata/webnn-wpt/validation.json}
 * (format: {@code /work/shared/webnn-wpt/validation.md}): an array of runs
 * {@code {file, variant?, loadError, tests: [{name, calls: [{method, args, expect}]}]}}.
 * Loading checks the structure and fails with a {@link MalformedSuiteException} that names the
 * offending place, so a damaged file gives a clear error instead of odd test results.
 */
public final class ValidationSuite {

    /** One run of a WPT file ({@code variant} is e.g. {@code op=add}, or null). */
    public record FileRun(String file, String variant, String loadError, List<Subtest> tests) {
        /** {@code file} or {@code file?variant}. */
        public String id() { return variant == null ? file : file + "?" + variant; }
    }

    /** One {@code promise_test} / {@code test}. */
    public record Subtest(String file, String name, List<Call> calls) {}

    /**
     * One recorded call. {@code args} is the raw JSON array (null when the call has none, e.g.
     * {@code <promise>}); {@code expect} is the parsed expectation.
     */
    public record Call(String method, JsonNode args, Expectation expect) {
        public int argCount() { return args == null ? 0 : args.size(); }

        public JsonNode arg(int i) { return args == null || i >= args.size() ? null : args.get(i); }
    }

    /** A structurally invalid suite file. */
    public static final class MalformedSuiteException extends RuntimeException {
        public MalformedSuiteException(String message) { super(message); }

        public MalformedSuiteException(String message, Throwable cause) { super(message, cause); }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<FileRun> runs;

    private ValidationSuite(List<FileRun> runs) { this.runs = List.copyOf(runs); }

    public List<FileRun> runs() { return runs; }

    public int subtestCount() { return runs.stream().mapToInt(r -> r.tests().size()).sum(); }

    public static ValidationSuite load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new MalformedSuiteException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses suite JSON text; {@code source} names it in error messages. */
    public static ValidationSuite parse(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedSuiteException(source + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()), e);
        }
        if (root == null || !root.isArray()) {
            throw new MalformedSuiteException(source + ": the top level must be an array of file runs, got "
                    + kind(root));
        }
        List<FileRun> runs = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            runs.add(parseRun(root.get(i), source + "[" + i + "]"));
        }
        return new ValidationSuite(runs);
    }

    private static FileRun parseRun(JsonNode n, String where) {
        requireObject(n, where);
        String file = requireText(n, "file", where);
        String variant = optionalText(n, "variant", where);
        String loadError = optionalText(n, "loadError", where);
        JsonNode tests = n.get("tests");
        if (tests == null || !tests.isArray()) {
            throw new MalformedSuiteException(where + " (" + file + "): 'tests' must be an array, got " + kind(tests));
        }
        List<Subtest> out = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            out.add(parseSubtest(file, tests.get(i), where + " (" + file + ").tests[" + i + "]"));
        }
        return new FileRun(file, variant, loadError, out);
    }

    static Subtest parseSubtest(String file, JsonNode n, String where) {
        requireObject(n, where);
        String name = requireText(n, "name", where);
        JsonNode calls = n.get("calls");
        if (calls == null || !calls.isArray()) {
            throw new MalformedSuiteException(where + " '" + name + "': 'calls' must be an array, got " + kind(calls));
        }
        List<Call> out = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            out.add(parseCall(calls.get(i), where + " '" + name + "'.calls[" + i + "]"));
        }
        return new Subtest(file, name, out);
    }

    static Call parseCall(JsonNode n, String where) {
        requireObject(n, where);
        String method = requireText(n, "method", where);
        JsonNode args = n.get("args");
        if (args != null && !args.isNull() && !args.isArray()) {
            throw new MalformedSuiteException(where + " (" + method + "): 'args' must be an array or null, got " + kind(args));
        }
        Expectation e = Expectation.parse(n.get("expect"), where + " (" + method + ").expect");
        return new Call(method, args == null || args.isNull() ? null : args, e);
    }

    private static void requireObject(JsonNode n, String where) {
        if (n == null || !n.isObject()) throw new MalformedSuiteException(where + ": expected an object, got " + kind(n));
    }

    private static String requireText(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new MalformedSuiteException(where + ": '" + field + "' must be a string, got " + kind(v));
        }
        return v.asText();
    }

    private static String optionalText(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new MalformedSuiteException(where + ": '" + field + "' must be a string or null, got " + kind(v));
        return v.asText();
    }

    static String kind(JsonNode n) {
        if (n == null) return "nothing";
        if (n.isNull()) return "null";
        if (n.isObject()) {
            StringBuilder keys = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
                keys.append(keys.isEmpty() ? "" : ", ").append(it.next().getKey());
            }
            return "an object {" + keys + "}";
        }
        if (n.isArray()) return "an array";
        return n.getNodeType().toString().toLowerCase() + " " + n;
    }
}
