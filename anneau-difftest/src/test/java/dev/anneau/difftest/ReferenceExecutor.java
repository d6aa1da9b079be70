package dev.anneau.difftest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.anneau.conformance.BuilderCalls;
import dev.anneau.conformance.ValueCodec;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLTensor;
import dev.anneau.webnn.MLTensorDescriptor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * Builds a graph written in the WPT JSON schema on a context and runs it, returning the output
 * bytes: how the reference values of a generated graph are computed. It resolves arguments as the
 * WPT harness (and {@code ConformanceRunner}) does: a string naming a graph input or constant is a
 * new operand at each use (an input name is declared once), a string naming an earlier output is
 * that operand, operand names inside {@code options} are operands.
 */
final class ReferenceExecutor {
    private ReferenceExecutor() {}

    /** A graph whose shape or type differs from what the generator inferred: a generator bug. */
    static final class Mismatch extends RuntimeException {
        Mismatch(String m) { super(m); }
    }

    static Map<String, ByteBuffer> run(MLContext ctx, JsonNode graph) {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        JsonNode inputs = graph.get("inputs");
        Map<String, MLOperand> named = new HashMap<>();
        Map<String, MLOperand> declared = new HashMap<>();
        Map<String, ByteBuffer> feeds = new HashMap<>();
        java.util.function.Function<String, MLOperand> operand = name -> {
            JsonNode spec = inputs.get(name);
            if (spec == null) return named.get(name);
            boolean constant = spec.path("constant").asBoolean(false);
            if (!constant && declared.containsKey(name)) return declared.get(name);
            MLOperandDescriptor d = descriptor(spec.get("descriptor"));
            ByteBuffer bytes = ValueCodec.encode(d.dataType(), spec.get("data"), (int) elements(d));
            if (constant) return b.constant(d, bytes);
            MLOperand in = b.input(name, d);
            declared.put(name, in);
            feeds.put(name, bytes);
            return in;
        };
        java.util.function.Predicate<JsonNode> namesOperand = v -> v.isTextual()
                && (inputs.has(v.textValue()) || named.containsKey(v.textValue()));
        for (JsonNode op : graph.get("operators")) {
            List<Object> args = new ArrayList<>();
            for (JsonNode a : op.get("arguments")) {
                for (var e : a.properties()) {
                    JsonNode v = e.getValue();
                    if (e.getKey().equals("options") && v.isObject()) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        for (var o : v.properties()) {
                            m.put(o.getKey(), namesOperand.test(o.getValue()) ? operand.apply(o.getValue().textValue()) : plain(o.getValue()));
                        }
                        args.add(m);
                    } else if (namesOperand.test(v)) {
                        args.add(operand.apply(v.textValue()));
                    } else if (v.isArray() && !v.isEmpty() && allOperands(v, namesOperand)) {
                        List<Object> l = new ArrayList<>();
                        for (JsonNode x : v) l.add(operand.apply(x.textValue()));
                        args.add(l);
                    } else {
                        args.add(plain(v));
                    }
                }
            }
            MLOperand[] results = BuilderCalls.call(b, op.get("name").textValue(), args);
            JsonNode outs = op.get("outputs");
            if (outs.isTextual()) {
                named.put(outs.textValue(), results[0]);
            } else {
                for (int i = 0; i < results.length; i++) named.put(outs.get(i).textValue(), results[i]);
            }
        }
        Map<String, MLOperand> outputs = new LinkedHashMap<>();
        for (var e : graph.get("expectedOutputs").properties()) {
            MLOperand o = named.get(e.getKey());
            MLOperandDescriptor want = descriptor(e.getValue().get("descriptor"));
            if (o.dataType() != want.dataType() || !Arrays.equals(o.shape(), want.shape())) {
                throw new Mismatch("output " + e.getKey() + " is " + o.dataType() + " " + Arrays.toString(o.shape())
                        + ", the generator inferred " + want.dataType() + " " + Arrays.toString(want.shape()));
            }
            outputs.put(e.getKey(), o);
        }
        List<MLTensor> tensors = new ArrayList<>();
        MLGraph g = join(b.build(outputs));
        try {
            Map<String, MLTensor> in = new HashMap<>();
            for (String name : g.inputs().keySet()) {
                MLOperandDescriptor d = new MLOperandDescriptor(declared.get(name).dataType(), declared.get(name).shape());
                MLTensor t = join(ctx.createTensor(new MLTensorDescriptor(d, false, true)));
                tensors.add(t);
                ctx.writeTensor(t, feeds.get(name).duplicate());
                in.put(name, t);
            }
            Map<String, MLTensor> out = new LinkedHashMap<>();
            for (var e : outputs.entrySet()) {
                MLTensor t = join(ctx.createTensor(new MLTensorDescriptor(new MLOperandDescriptor(e.getValue().dataType(), e.getValue().shape()), true, false)));
                tensors.add(t);
                out.put(e.getKey(), t);
            }
            ctx.dispatch(g, in, out);
            Map<String, ByteBuffer> result = new LinkedHashMap<>();
            for (var e : out.entrySet()) result.put(e.getKey(), join(ctx.readTensor(e.getValue())).order(ByteOrder.LITTLE_ENDIAN));
            return result;
        } finally {
            for (MLTensor t : tensors) t.destroy();
            g.destroy();
        }
    }

    private static boolean allOperands(JsonNode v, java.util.function.Predicate<JsonNode> namesOperand) {
        for (JsonNode x : v) if (!namesOperand.test(x)) return false;
        return true;
    }

    static MLOperandDescriptor descriptor(JsonNode d) {
        MLOperandDataType t = MLOperandDataType.fromSpecName(d.get("dataType").textValue());
        JsonNode s = d.get("shape");
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).longValue();
        return new MLOperandDescriptor(t, shape);
    }

    static long elements(MLOperandDescriptor d) {
        long n = 1;
        for (long x : d.shape()) n *= x;
        return n;
    }

    static Object plain(JsonNode n) {
        if (n == null || n.isNull()) return null;
        if (n.isIntegralNumber()) return n.longValue();
        if (n.isNumber()) return n.doubleValue();
        if (n.isTextual()) return n.textValue();
        if (n.isBoolean()) return n.booleanValue();
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonNode x : n) l.add(plain(x));
            return l;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (var e : n.properties()) m.put(e.getKey(), plain(e.getValue()));
        return m;
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    /** Tensor bytes as WPT JSON data (NaN, ±Infinity and -0 as strings; 64-bit integers beyond 2^53 as decimal strings). */
    static ArrayNode encode(MLOperandDataType t, ByteBuffer b, int n) {
        ArrayNode a = GraphGenerator.JSON.arrayNode();
        for (int i = 0; i < n; i++) {
            switch (t) {
                case FLOAT32, FLOAT16 -> {
                    double v = t == MLOperandDataType.FLOAT32 ? b.getFloat(b.position() + 4 * i)
                            : Float.float16ToFloat(b.getShort(b.position() + 2 * i));
                    if (Double.isNaN(v)) a.add("NaN");
                    else if (Double.isInfinite(v)) a.add(v > 0 ? "Infinity" : "-Infinity");
                    else if (v == 0 && 1 / v < 0) a.add("-0");
                    else a.add(v);
                }
                case INT64 -> {
                    long v = b.getLong(b.position() + 8 * i);
                    if (Math.abs(v) <= (1L << 53)) a.add(v);
                    else a.add(Long.toString(v));
                }
                case UINT64 -> {
                    long v = b.getLong(b.position() + 8 * i);
                    if (v >= 0 && v <= (1L << 53)) a.add(v);
                    else a.add(Long.toUnsignedString(v));
                }
                default -> a.add(ValueCodec.readInteger(t, b, i));
            }
        }
        return a;
    }
}
