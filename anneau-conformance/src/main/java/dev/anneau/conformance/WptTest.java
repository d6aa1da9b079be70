package dev.anneau.conformance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One graph test of a WPT JSON file (schema: testdata/webnn-wpt/SUITE-README.md).
 *
 * @param suite the folder the file is in, e.g. {@code conformance} or {@code conformance-2025-12}
 * @param file the file name, e.g. {@code conv2d.json}
 * @param index position in the file
 * @param name the WPT subtest name (unique across the suite)
 * @param graph the {@code graph} object: {@code inputs}, {@code operators}, {@code expectedOutputs}
 * @param tolerance metric and value
 * @param castToSupportedType feed/read unsupported data types through a wider type with {@code cast}
 * @param schemaError non-null when the test does not follow the schema; it is then reported failed with this reason
 */
public record WptTest(String suite, String file, int index, String name, JsonNode graph, Tolerance tolerance,
                      boolean castToSupportedType, String schemaError) {

    /** {@code file/name}, a stable id (test names are unique across the suite). */
    public String id() { return file + "/" + name; }

    /** {@code suite/file}, for display: the supplement repeats the main set's file names. */
    public String path() { return suite == null || suite.isEmpty() ? file : suite + "/" + file; }

    /** Operator names in build order (for filtering and tolerance display). */
    public java.util.List<String> operators() {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (graph != null && graph.path("operators").isArray()) {
            for (JsonNode op : graph.get("operators")) out.add(op.path("name").asText("?"));
        }
        return out;
    }
}
