package dev.anneau.onnx;

import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLTensor;
import dev.anneau.webnn.MLTensorDescriptor;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * Runs an ONNX model on one {@link MLContext}. Input shapes come from the data (free dimensions
 * bind themselves); one {@code MLGraph} is built and cached per distinct set of input shapes.
 * Inputs that drive shapes or control flow (a Reshape target fed by an input, an If on an input)
 * are detected on the first import and then folded as constants: such inputs' values become
 * part of the cache key. Runs are serialized; input and output tensors are reused per graph.
 */
public final class OnnxSession implements AutoCloseable {
    private final MLContext context;
    private final OnnxModel model;
    private final ImportOptions options;
    private final Set<String> valueInputs = new LinkedHashSet<>();
    private final Map<String, Entry> cache = new LinkedHashMap<>();
    private final int maxCached;
    private boolean closed;

    /** One built graph with its reusable tensors. */
    private static final class Entry {
        final ImportedGraph graph;
        final Map<String, MLTensor> inputs = new LinkedHashMap<>();
        final Map<String, MLTensor> outputs = new LinkedHashMap<>();

        Entry(ImportedGraph graph) { this.graph = graph; }

        void close() {
            inputs.values().forEach(MLTensor::destroy);
            outputs.values().forEach(MLTensor::destroy);
            graph.close();
        }
    }

    public OnnxSession(MLContext context, OnnxModel model) { this(context, model, ImportOptions.defaults()); }

    public OnnxSession(MLContext context, OnnxModel model, ImportOptions options) {
        this(context, model, options, 16);
    }

    /** {@code maxCachedGraphs}: how many per-shape graphs to keep (least recently built dropped first). */
    public OnnxSession(MLContext context, OnnxModel model, ImportOptions options, int maxCachedGraphs) {
        if (context == null || model == null) throw new IllegalArgumentException("context and model are required");
        this.context = context;
        this.model = model;
        this.options = options == null ? ImportOptions.defaults() : options;
        this.maxCached = Math.max(1, maxCachedGraphs);
        this.valueInputs.addAll(this.options.inputValues().keySet());
    }

    public OnnxModel model() { return model; }

    public MLContext context() { return context; }

    /** Number of graphs currently cached. */
    public synchronized int cachedGraphs() { return cache.size(); }

    /** Graph inputs whose values are folded into the graph (detected from the model). */
    public synchronized Set<String> valueInputs() { return Set.copyOf(valueInputs); }

    /**
     * Runs the model. {@code inputs} must give every graph input (by ONNX name) with the model's
     * element type (uint8 data is accepted for bool inputs). Returns every model output by name.
     */
    public synchronized Map<String, OnnxTensor> run(Map<String, OnnxTensor> inputs) {
        if (closed) throw new IllegalStateException("the session is closed");
        Map<String, OnnxTensor> given = checkInputs(inputs);
        Entry e = entryFor(given);
        ImportedGraph g = e.graph;
        Map<String, OnnxTensor> result = new LinkedHashMap<>();
        if (g.graph() != null) {
            for (ImportedGraph.Input in : g.inputs()) {
                MLTensor t = e.inputs.computeIfAbsent(in.name(), k -> join(context.createTensor(
                        new MLTensorDescriptor(in.type().webnn(), in.shape(), false, true))));
                context.writeTensor(t, given.get(in.name()).data());
            }
            for (ImportedGraph.Output o : g.outputs()) {
                if (o.constant() != null) continue;
                e.outputs.computeIfAbsent(o.name(), k -> join(context.createTensor(
                        new MLTensorDescriptor(o.type().webnn(), o.shape(), true, false))));
            }
            Map<String, MLTensor> outs = new LinkedHashMap<>();
            for (ImportedGraph.Output o : g.outputs()) if (o.constant() == null) outs.put(o.name(), e.outputs.get(o.name()));
            context.dispatch(g.graph(), e.inputs, outs);
            for (ImportedGraph.Output o : g.outputs()) {
                if (o.constant() != null) continue;
                ByteBuffer data = join(context.readTensor(e.outputs.get(o.name())));
                result.put(o.name(), OnnxTensor.wrap(o.type(), o.shape(), data));
            }
        }
        Map<String, OnnxTensor> ordered = new LinkedHashMap<>();
        for (ImportedGraph.Output o : g.outputs()) ordered.put(o.name(), o.constant() != null ? o.constant() : result.get(o.name()));
        return ordered;
    }

    /**
     * Runs with raw little-endian buffers, for models whose input shapes are fixed by the model or
     * by the session's {@link ImportOptions} (free dimensions bound). Returns each output's bytes.
     */
    public Map<String, ByteBuffer> runBuffers(Map<String, ByteBuffer> inputs) {
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        for (OnnxModel.ValueInfo in : model.inputs()) {
            ByteBuffer data = inputs.get(in.name());
            if (data == null) continue;
            long[] shape = options.inputShapes().containsKey(in.name()) ? options.inputShapes().get(in.name())
                    : in.resolveShape(options.freeDimensionOverrides());
            if (in.type() == null) throw new OnnxImportException("input '" + in.name() + "' has no supported element type");
            tensors.put(in.name(), OnnxTensor.wrap(in.type(), shape, data.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN)));
        }
        for (String k : inputs.keySet()) {
            if (!tensors.containsKey(k)) throw new OnnxImportException("'" + k + "' is not an input of the model; inputs: " + names(model.inputs()));
        }
        Map<String, ByteBuffer> out = new LinkedHashMap<>();
        run(tensors).forEach((k, v) -> out.put(k, v.data()));
        return out;
    }

    /** The graph the given inputs would run (importing it if needed), for inspection. */
    public synchronized ImportedGraph graphFor(Map<String, OnnxTensor> inputs) {
        return entryFor(checkInputs(inputs)).graph;
    }

    private Map<String, OnnxTensor> checkInputs(Map<String, OnnxTensor> inputs) {
        if (inputs == null) throw new IllegalArgumentException("inputs are required");
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (OnnxModel.ValueInfo in : model.inputs()) {
            OnnxTensor t = inputs.get(in.name());
            if (t == null) {
                missing.add(in.name());
                continue;
            }
            ElementType want = in.type();
            if (want != null && t.type() != want) {
                if (want == ElementType.BOOL && t.type() == ElementType.UINT8) t = t.withType(ElementType.BOOL);
                else throw new OnnxImportException("input '" + in.name() + "' must be " + want + ", got " + t.type());
            }
            out.put(in.name(), t);
        }
        if (!missing.isEmpty()) throw new OnnxImportException("missing inputs " + missing + "; the model takes " + names(model.inputs()));
        for (String k : inputs.keySet()) {
            if (!out.containsKey(k)) throw new OnnxImportException("'" + k + "' is not an input of the model; inputs: " + names(model.inputs()));
        }
        return out;
    }

    private static List<String> names(List<OnnxModel.ValueInfo> l) { return l.stream().map(OnnxModel.ValueInfo::name).toList(); }

    private Entry entryFor(Map<String, OnnxTensor> given) {
        for (int attempt = 0; ; attempt++) {
            String key = key(given);
            Entry e = cache.get(key);
            if (e != null) return e;
            ImportOptions o = options;
            for (var in : given.entrySet()) {
                if (valueInputs.contains(in.getKey())) o = o.withInputValue(in.getKey(), in.getValue());
                else o = o.withInputShape(in.getKey(), in.getValue().shape());
            }
            try {
                ImportedGraph g = new GraphImport(context, model, o, MapperRegistry.standard()).run();
                e = new Entry(g);
                if (cache.size() >= maxCached) {
                    String oldest = cache.keySet().iterator().next();
                    cache.remove(oldest).close();
                }
                cache.put(key, e);
                return e;
            } catch (OnnxUnsupportedException ex) {
                Set<String> want = new LinkedHashSet<>(ex.inputsNeedingValues());
                want.removeAll(valueInputs);
                want.retainAll(given.keySet());
                if (want.isEmpty() || attempt > model.inputs().size()) throw ex;
                valueInputs.addAll(want);
            }
        }
    }

    private String key(Map<String, OnnxTensor> given) {
        StringBuilder s = new StringBuilder();
        for (var e : given.entrySet()) {
            s.append(e.getKey()).append(':').append(Arrays.toString(e.getValue().shape()));
            if (valueInputs.contains(e.getKey())) s.append('=').append(digest(e.getValue()));
            s.append(';');
        }
        return s.toString();
    }

    private static String digest(OnnxTensor t) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(t.data());
            return t.type() + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    /** Destroys the cached graphs and tensors (the context stays usable). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        cache.values().forEach(Entry::close);
        cache.clear();
    }
}
