package dev.anneau.conformance;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads WPT graph tests from a JSON file (an array of tests) or from a folder of {@code *.json}
 * files (names starting with {@code _} are skipped: they hold metadata). A file that cannot be
 * read or parsed, or is not an array, becomes a {@link LoadError}; a test that breaks the schema
 * is kept with {@link WptTest#schemaError()} set, so it is reported as a failure, never a crash.
 */
public final class WptSuite {
    private WptSuite() {}

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // tolerate bare NaN/Infinity
            .build();

    /** A file that could not be loaded at all. */
    public record LoadError(String suite, String file, String message) {
        public String path() { return suite == null || suite.isEmpty() ? file : suite + "/" + file; }
    }

    /** Tests and load errors of one or more paths. */
    public record Loaded(List<WptTest> tests, List<LoadError> errors) {
        public Loaded {
            tests = List.copyOf(tests);
            errors = List.copyOf(errors);
        }

        /** Keeps the tests whose file name or test name matches {@code regex} (find, not full match); errors stay. */
        public Loaded filter(Pattern regex) {
            if (regex == null) return this;
            return new Loaded(tests.stream().filter(t -> regex.matcher(t.file()).find() || regex.matcher(t.name()).find()).toList(),
                    errors.stream().filter(e -> regex.matcher(e.file()).find()).toList());
        }
    }

    /** Loads every path (file or folder), in order; folders are read in file-name order. */
    public static Loaded load(List<Path> paths) {
        List<WptTest> tests = new ArrayList<>();
        List<LoadError> errors = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> files;
                try (Stream<Path> s = Files.list(p)) {
                    files = s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".json")
                            && !f.getFileName().toString().startsWith("_")).sorted().toList();
                } catch (IOException | UncheckedIOException e) {
                    errors.add(new LoadError("", p.toString(), "cannot list the folder: " + e.getMessage()));
                    continue;
                }
                for (Path f : files) loadFile(f, tests, errors);
            } else if (Files.isRegularFile(p)) {
                loadFile(p, tests, errors);
            } else {
                errors.add(new LoadError("", p.toString(), "no such file or folder"));
            }
        }
        return new Loaded(tests, errors);
    }

    public static Loaded load(Path... paths) { return load(List.of(paths)); }

    private static void loadFile(Path f, List<WptTest> tests, List<LoadError> errors) {
        String file = f.getFileName().toString();
        JsonNode root;
        try {
            root = JSON.readTree(f.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var loc = e.getLocation();
            errors.add(new LoadError(suiteOf(f), file, "malformed JSON: " + firstLine(e.getOriginalMessage())
                    + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")")));
            return;
        } catch (IOException e) {
            errors.add(new LoadError(suiteOf(f), file, "cannot read the file: " + e));
            return;
        }
        if (root == null || !root.isArray()) {
            errors.add(new LoadError(suiteOf(f), file, "expected a JSON array of graph tests, got "
                    + (root == null ? "an empty file" : root.getNodeType().toString().toLowerCase())));
            return;
        }
        boolean anyGraph = root.isEmpty();
        for (JsonNode t : root) anyGraph |= t != null && t.has("graph");
        if (!anyGraph) {
            errors.add(new LoadError(suiteOf(f), file, "not a graph test file: no element has a 'graph' (pass a file or folder"
                    + " of WPT graph tests, e.g. testdata/webnn-wpt/conformance)"));
            return;
        }
        tests.addAll(parse(suiteOf(f), file, root));
    }

    /** Parses the tests of one file's root array. */
    public static List<WptTest> parse(String suite, String file, JsonNode root) {
        List<WptTest> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) out.add(parseTest(suite, file, i, root.get(i)));
        return out;
    }

    static String suiteOf(Path f) {
        Path parent = f.toAbsolutePath().normalize().getParent();
        return parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
    }

    static WptTest parseTest(String suite, String file, int index, JsonNode t) {
        String name = t != null && t.path("name").isTextual() ? t.get("name").textValue() : "#" + index;
        try {
            if (t == null || !t.isObject()) throw new SchemaException("a test must be an object");
            if (!t.path("name").isTextual()) throw new SchemaException("'name' must be a string");
            JsonNode g = t.get("graph");
            if (g == null || !g.isObject()) throw new SchemaException("'graph' must be an object");
            checkGraph(g);
            Tolerance tol = parseTolerance(t.get("tolerance"));
            JsonNode cast = t.get("castToSupportedType");
            return new WptTest(suite, file, index, name, g, tol, cast != null && cast.asBoolean(false), null);
        } catch (SchemaException e) {
            return new WptTest(suite, file, index, name, t, null, false, "schema error: " + e.getMessage());
        }
    }

    private static void checkGraph(JsonNode g) {
        JsonNode inputs = g.get("inputs");
        if (inputs == null || !inputs.isObject()) throw new SchemaException("'graph.inputs' must be an object");
        for (var e : inputs.properties()) {
            checkTensor("graph.inputs." + e.getKey(), e.getValue());
        }
        JsonNode ops = g.get("operators");
        if (ops == null || !ops.isArray() || ops.isEmpty()) throw new SchemaException("'graph.operators' must be a non-empty array");
        for (int i = 0; i < ops.size(); i++) {
            JsonNode op = ops.get(i);
            String where = "graph.operators[" + i + "]";
            if (!op.isObject() || !op.path("name").isTextual()) throw new SchemaException(where + ".name must be a string");
            JsonNode args = op.get("arguments");
            if (args == null || !args.isArray()) throw new SchemaException(where + ".arguments must be an array");
            for (JsonNode a : args) {
                // usually one key; the harness pushes one positional argument per key, in order
                if (!a.isObject() || a.isEmpty()) throw new SchemaException(where + ".arguments: each element must be an object naming the argument, got " + ValueCodec.abbreviate(a));
            }
            JsonNode outs = op.get("outputs");
            boolean ok = outs != null && (outs.isTextual() || outs.isArray() && !outs.isEmpty());
            if (ok && outs.isArray()) for (JsonNode o : outs) ok &= o.isTextual();
            if (!ok) throw new SchemaException(where + ".outputs must be a string or an array of strings");
        }
        JsonNode expected = g.get("expectedOutputs");
        if (expected == null || !expected.isObject() || expected.isEmpty()) {
            throw new SchemaException("'graph.expectedOutputs' must be a non-empty object");
        }
        for (var e : expected.properties()) {
            checkTensor("graph.expectedOutputs." + e.getKey(), e.getValue());
        }
    }

    private static void checkTensor(String where, JsonNode t) {
        if (!t.isObject()) throw new SchemaException(where + " must be an object with 'data' and 'descriptor'");
        JsonNode d = t.get("descriptor");
        if (d == null || !d.isObject()) throw new SchemaException(where + ".descriptor must be an object");
        if (!d.path("dataType").isTextual()) throw new SchemaException(where + ".descriptor.dataType must be a string");
        JsonNode shape = d.get("shape");
        if (shape == null || !shape.isArray()) throw new SchemaException(where + ".descriptor.shape must be an array");
        for (JsonNode s : shape) {
            if (!s.isIntegralNumber()) throw new SchemaException(where + ".descriptor.shape must hold integers, got " + shape);
        }
        JsonNode data = t.get("data");
        if (data == null || !(data.isArray() || data.isNumber() || data.isTextual())) {
            throw new SchemaException(where + ".data must be an array or a single number");
        }
    }

    private static Tolerance parseTolerance(JsonNode t) {
        if (t == null || !t.isObject()) throw new SchemaException("'tolerance' must be an object with metricType and value");
        String metric = t.path("metricType").asText(null);
        JsonNode v = t.get("value");
        if (v != null && !v.isNull() && !v.isNumber()) throw new SchemaException("tolerance.value must be a number or null");
        return new Tolerance(metric, v == null || v.isNull() ? null : v.doubleValue());
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
