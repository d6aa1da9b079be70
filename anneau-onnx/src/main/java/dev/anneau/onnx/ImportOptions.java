package dev.anneau.onnx;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to import a model. Immutable; the {@code with...} methods return changed copies.
 * <ul>
 * <li>{@code freeDimensionOverrides}: sizes for symbolic dimensions of the graph inputs
 *     ({@code "batch" -> 1}), as ONNX Runtime's option of the same name;</li>
 * <li>{@code inputShapes}: concrete shapes per graph input (they win over the overrides);</li>
 * <li>{@code inputValues}: graph inputs whose values are fixed at import time and folded into the
 *     graph as constants (needed where an input drives a shape, e.g. a Reshape's target shape or
 *     an If condition); {@link OnnxSession} fills this itself.</li>
 * </ul>
 */
public final class ImportOptions {
    private final Map<String, Long> freeDimensionOverrides;
    private final Map<String, long[]> inputShapes;
    private final Map<String, OnnxTensor> inputValues;

    private ImportOptions(Map<String, Long> dims, Map<String, long[]> shapes, Map<String, OnnxTensor> values) {
        this.freeDimensionOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(dims));
        Map<String, long[]> s = new LinkedHashMap<>();
        shapes.forEach((k, v) -> s.put(k, v.clone()));
        this.inputShapes = Collections.unmodifiableMap(s);
        this.inputValues = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static ImportOptions defaults() { return new ImportOptions(Map.of(), Map.of(), Map.of()); }

    public Map<String, Long> freeDimensionOverrides() { return freeDimensionOverrides; }

    public Map<String, long[]> inputShapes() {
        Map<String, long[]> s = new LinkedHashMap<>();
        inputShapes.forEach((k, v) -> s.put(k, v.clone()));
        return s;
    }

    long[] inputShape(String name) {
        long[] s = inputShapes.get(name);
        return s == null ? null : s.clone();
    }

    public Map<String, OnnxTensor> inputValues() { return inputValues; }

    /** Binds symbolic dimension names to sizes (replacing earlier bindings of the same names). */
    public ImportOptions freeDimensionOverrides(Map<String, Long> overrides) {
        Map<String, Long> m = new LinkedHashMap<>(freeDimensionOverrides);
        overrides.forEach((k, v) -> {
            if (v == null || v < 1) throw new IllegalArgumentException("free dimension '" + k + "' must be >= 1, got " + v);
            m.put(k, v);
        });
        return new ImportOptions(m, inputShapes, inputValues);
    }

    public ImportOptions withFreeDimension(String name, long size) { return freeDimensionOverrides(Map.of(name, size)); }

    /** Sets the shape of one graph input. */
    public ImportOptions withInputShape(String input, long... shape) {
        Map<String, long[]> m = new LinkedHashMap<>(inputShapes);
        m.put(input, shape.clone());
        return new ImportOptions(freeDimensionOverrides, m, inputValues);
    }

    /** Fixes the value of one graph input: it becomes a constant of the imported graph. */
    public ImportOptions withInputValue(String input, OnnxTensor value) {
        Map<String, OnnxTensor> m = new LinkedHashMap<>(inputValues);
        m.put(input, value);
        return new ImportOptions(freeDimensionOverrides, inputShapes, m);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ImportOptions(dims ").append(freeDimensionOverrides).append(", shapes {");
        inputShapes.forEach((k, v) -> s.append(k).append('=').append(Arrays.toString(v)).append(' '));
        return s.append("}, values ").append(inputValues.keySet()).append(')').toString();
    }
}
