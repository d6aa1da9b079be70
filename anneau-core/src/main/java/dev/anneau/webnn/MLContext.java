package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpSupport;
import dev.anneau.webnn.ops.OperatorLimits;
import dev.anneau.webnn.ops.TensorType;
import dev.anneau.webnn.spi.Backend;
import dev.anneau.webnn.spi.BackendTensor;
import dev.anneau.webnn.spi.CompiledGraph;
import dev.anneau.webnn.graph.GraphDefinition;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The WebNN {@code MLContext}. Work that touches backend state (allocation, writes, reads,
 * compilation, dispatch) runs in order on the context's own timeline thread, as the spec's
 * "context timeline"; argument validation runs synchronously on the caller's thread so errors
 * surface where the mistake was made. All methods are safe to call from several threads.
 */
public final class MLContext {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Backend backend;
    private final MLContextOptions options;
    private final ExecutorService timeline;
    private final CompletableFuture<MLContextLostInfo> lost = new CompletableFuture<>();
    private final Set<CompletableFuture<?>> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** This context's graphs and tensors, weakly held: losing the context destroys them (spec "lose"). */
    private final Set<Object> owned = java.util.Collections.synchronizedSet(
            java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));
    private volatile boolean destroyed;
    private volatile String lostReason;

    /** The WebNN {@code MLContextLostInfo}. */
    public record MLContextLostInfo(String message) {}

    MLContext(Backend backend, MLContextOptions options) {
        this.backend = backend;
        this.options = options;
        int n = COUNTER.incrementAndGet();
        this.timeline = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "anneau-context-" + n + "-" + backend.name());
            t.setDaemon(true);
            return t;
        });
    }

    /** True when the context runs on an accelerator (GPU/NPU) rather than plain CPU code. */
    public boolean accelerated() { return backend.accelerated(); }

    /** Name of the backend behind this context. */
    public String backendName() { return backend.name(); }

    public MLContextOptions options() { return options; }

    /** Resolves when the context is lost or destroyed. */
    public CompletableFuture<MLContextLostInfo> lost() { return lost; }

    public boolean isDestroyed() { return destroyed; }

    OpSupport support() { return backend.support(); }

    Backend backend() { return backend; }

    // ------------------------------------------------------------------ limits

    /** What the backend supports, per operator and operand, derived from the spec table and the backend's answers. */
    public MLOpSupportLimits opSupportLimits() {
        OpSupport s = backend.support();
        Map<String, Map<String, MLTensorLimits>> ops = new LinkedHashMap<>();
        OperatorLimits table = OperatorLimits.spec();
        for (String op : table.operators()) {
            Map<String, MLTensorLimits> operands = new LinkedHashMap<>();
            boolean any = false;
            for (OperatorLimits.Rule r : table.rules(op).values()) {
                Set<MLOperandDataType> types = s.dataTypes(op, r.operand());
                if (types == null) types = EnumSet.noneOf(MLOperandDataType.class);
                // "same rank as X": report X's range
                OperatorLimits.Rule ranks = r;
                for (int hops = 0; ranks != null && ranks.sameRankAs() != null && hops < 8; hops++) {
                    ranks = table.rule(op, ranks.sameRankAs());
                }
                boolean unresolved = ranks == null || ranks.sameRankAs() != null;
                int min = unresolved ? 0 : ranks.minRank();
                int max = unresolved ? s.maxRank() : Math.min(ranks.maxRank(), s.maxRank());
                operands.put(r.operand(), new MLTensorLimits(types, new MLTensorLimits.MLRankRange(min, max)));
                any |= !types.isEmpty();
            }
            if (any) ops.put(op, operands);
        }
        MLTensorLimits.MLRankRange ranks = new MLTensorLimits.MLRankRange(0, s.maxRank());
        return new MLOpSupportLimits(s.preferredInputLayout(), s.maxTensorByteLength(),
                new MLTensorLimits(s.dataTypes("input", "input"), ranks),
                new MLTensorLimits(s.dataTypes("constant", "constant"), ranks),
                new MLTensorLimits(s.dataTypes("output", "output"), ranks), ops);
    }

    // ------------------------------------------------------------------ tensors

    /** Creates a tensor for graph inputs/outputs. */
    public CompletableFuture<MLTensor> createTensor(MLTensorDescriptor descriptor) {
        try {
            ensureAlive();
            TensorType type = validateDescriptor(descriptor, "createTensor");
            return submit(() -> own(new MLTensor(this, descriptor, type, backend.allocate(type), false)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Creates an immutable tensor holding {@code data}, usable as a graph constant. */
    public CompletableFuture<MLTensor> createConstantTensor(MLOperandDescriptor descriptor, ByteBuffer data) {
        try {
            ensureAlive();
            TensorType type = validateDescriptor(descriptor, "createConstantTensor");
            ByteBuffer copy = Buffers.copyExact(data, type, "createConstantTensor");
            MLTensorDescriptor d = new MLTensorDescriptor(descriptor, false, false);
            return submit(() -> {
                BackendTensor t = backend.allocate(type);
                backend.write(t, copy);
                return own(new MLTensor(this, d, type, t, true));
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    TensorType validateDescriptor(MLOperandDescriptor descriptor, String what) {
        if (descriptor == null) throw new TypeError(what + ": descriptor is required");
        return Buffers.checkedType(descriptor, backend.support(), what);
    }

    /** Writes little-endian bytes (exactly the tensor's byte length) into a writable tensor. */
    public void writeTensor(MLTensor tensor, ByteBuffer source) {
        ensureAlive();
        checkTensor(tensor, "writeTensor");
        if (!tensor.writable()) throw new TypeError("writeTensor: the tensor was not created with writable: true");
        ByteBuffer copy = Buffers.copyExact(source, tensor.type(), "writeTensor");
        submit(() -> {
            if (!tensor.isDestroyed()) backend.write(tensor.storage, copy);
            return null;
        });
    }

    public void writeTensor(MLTensor tensor, byte[] source) { writeTensor(tensor, ByteBuffer.wrap(source)); }

    public void writeTensor(MLTensor tensor, float[] source) { writeTensor(tensor, Buffers.of(source)); }

    public void writeTensor(MLTensor tensor, int[] source) { writeTensor(tensor, Buffers.of(source)); }

    public void writeTensor(MLTensor tensor, long[] source) { writeTensor(tensor, Buffers.of(source)); }

    /** float16 data as raw 16-bit patterns. */
    public void writeTensor(MLTensor tensor, short[] source) { writeTensor(tensor, Buffers.of(source)); }

    /** Reads a readable tensor; the buffer is little-endian, exactly the tensor's byte length. */
    public CompletableFuture<ByteBuffer> readTensor(MLTensor tensor) {
        try {
            ensureAlive();
            checkTensor(tensor, "readTensor");
            if (!tensor.readable()) throw new TypeError("readTensor: the tensor was not created with readable: true");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return submit(() -> {
            if (tensor.isDestroyed()) throw new InvalidStateError("readTensor: the tensor was destroyed before the read ran");
            ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(tensor.type().byteLength())).order(ByteOrder.LITTLE_ENDIAN);
            backend.read(tensor.storage, out);
            out.flip();
            return out;
        });
    }

    /** Reads into the caller's buffer (at its position; it must have room for the tensor's byte length). */
    public CompletableFuture<Void> readTensor(MLTensor tensor, ByteBuffer destination) {
        try {
            ensureAlive();
            checkTensor(tensor, "readTensor");
            if (!tensor.readable()) throw new TypeError("readTensor: the tensor was not created with readable: true");
            if (destination == null) throw new TypeError("readTensor: the destination buffer is required");
            if (destination.isReadOnly()) throw new TypeError("readTensor: the destination buffer is read-only");
            if (destination.remaining() < tensor.type().byteLength()) {
                throw new TypeError("readTensor: the destination has " + destination.remaining()
                        + " bytes left; the tensor needs " + tensor.type().byteLength());
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return submit(() -> {
            if (tensor.isDestroyed()) throw new InvalidStateError("readTensor: the tensor was destroyed before the read ran");
            ByteBuffer dst = destination.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            backend.read(tensor.storage, dst);
            return null;
        });
    }

    private void checkTensor(MLTensor tensor, String what) {
        if (tensor == null) throw new TypeError(what + ": tensor is required");
        if (tensor.context() != this) throw new TypeError(what + ": the tensor belongs to another MLContext");
        if (tensor.isDestroyed()) throw new TypeError(what + ": the tensor has been destroyed");
    }

    void releaseTensor(MLTensor tensor) {
        if (destroyed) return;
        try {
            timeline.execute(() -> tensor.storage.close());
        } catch (RejectedExecutionException ignored) {
            // the context is shutting down and frees everything itself
        }
    }

    void releaseGraph(MLGraph graph) {
        if (destroyed) return;
        try {
            timeline.execute(graph.compiled::close);
        } catch (RejectedExecutionException ignored) {
            // as above
        }
    }

    /** Snapshot of a constant tensor's bytes, for {@code MLGraphBuilder.constant(MLTensor)}. */
    ByteBuffer readTensorBytesForConstant(MLTensor tensor) {
        CompletableFuture<ByteBuffer> f = submit(() -> {
            ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(tensor.type().byteLength())).order(ByteOrder.LITTLE_ENDIAN);
            backend.read(tensor.storage, out);
            out.flip();
            return out;
        });
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    // ------------------------------------------------------------------ graphs

    CompletableFuture<MLGraph> compile(GraphDefinition definition) {
        Map<String, TensorType> in = new LinkedHashMap<>();
        definition.inputs().forEach((k, v) -> in.put(k, v.type()));
        Map<String, TensorType> out = new LinkedHashMap<>();
        definition.outputs().forEach((k, v) -> out.put(k, v.type()));
        return submit(() -> {
            CompiledGraph compiled = backend.compile(definition);
            return own(new MLGraph(this, compiled, in, out));
        });
    }

    /**
     * Runs a graph: every graph input and output must be bound to a tensor of exactly its type.
     * Validation is synchronous; the execution is queued on the timeline.
     */
    public void dispatch(MLGraph graph, Map<String, MLTensor> inputs, Map<String, MLTensor> outputs) {
        ensureAlive();
        if (graph == null) throw new TypeError("dispatch: graph is required");
        if (graph.context() != this) throw new TypeError("dispatch: the graph was built for another MLContext");
        if (graph.isDestroyed()) throw new InvalidStateError("dispatch: the graph has been destroyed");
        Map<String, BackendTensor> in = bind("input", graph.inputs(), inputs);
        Map<String, BackendTensor> out = bind("output", graph.outputs(), outputs);
        IdentityHashMap<MLTensor, String> used = new IdentityHashMap<>();
        for (var e : inputs.entrySet()) used.put(e.getValue(), e.getKey());
        IdentityHashMap<MLTensor, String> outUsed = new IdentityHashMap<>();
        for (var e : outputs.entrySet()) {
            if (used.containsKey(e.getValue())) {
                throw new TypeError("dispatch: the tensor bound to output '" + e.getKey() + "' is also bound to input '"
                        + used.get(e.getValue()) + "'");
            }
            if (outUsed.put(e.getValue(), e.getKey()) != null) {
                throw new TypeError("dispatch: one tensor is bound to two outputs ('" + outUsed.get(e.getValue()) + "' and '"
                        + e.getKey() + "')");
            }
        }
        List<MLTensor> all = new ArrayList<>(inputs.values());
        all.addAll(outputs.values());
        submit(() -> {
            for (MLTensor t : all) {
                if (t.isDestroyed()) return null; // spec: a destroyed tensor makes the queued dispatch a no-op
            }
            graph.compiled.execute(in, out);
            return null;
        }).whenComplete((v, e) -> {
            // a dispatch has no promise of its own: a failure loses the context, as the spec's timeline does
            if (e != null) lose("dispatch failed: " + (e.getCause() != null ? e.getCause() : e).getMessage());
        });
    }

    private Map<String, BackendTensor> bind(String kind, Map<String, TensorType> expected, Map<String, MLTensor> given) {
        if (given == null) throw new TypeError("dispatch: the " + kind + "s map is required");
        if (given.size() != expected.size() || !given.keySet().containsAll(expected.keySet())) {
            throw new TypeError("dispatch: " + kind + "s must be exactly " + expected.keySet() + ", got " + given.keySet());
        }
        Map<String, BackendTensor> bound = new HashMap<>();
        for (var e : given.entrySet()) {
            MLTensor t = e.getValue();
            if (t == null) throw new TypeError("dispatch: " + kind + " '" + e.getKey() + "' is null");
            if (t.context() != this) throw new TypeError("dispatch: " + kind + " '" + e.getKey() + "' belongs to another MLContext");
            if (t.isDestroyed()) throw new TypeError("dispatch: " + kind + " '" + e.getKey() + "' has been destroyed");
            if (t.constant()) throw new TypeError("dispatch: " + kind + " '" + e.getKey() + "' is a constant tensor");
            TensorType want = expected.get(e.getKey());
            if (!want.equals(t.type())) {
                throw new TypeError("dispatch: " + kind + " '" + e.getKey() + "' must be " + want + ", the tensor is " + t.type());
            }
            bound.put(e.getKey(), t.storage);
        }
        return bound;
    }

    // ------------------------------------------------------------------ life cycle

    /** Destroys the context: pending reads reject, later calls throw InvalidStateError, resources are freed. */
    public void destroy() { end("destroyed", new InvalidStateError("the MLContext was destroyed")); }

    /** The context is lost (a backend failure): like destroy, but {@link #lost()} carries the reason. */
    void lose(String reason) {
        System.getLogger("dev.anneau.webnn.MLContext").log(System.Logger.Level.WARNING, "MLContext lost: " + reason);
        end(reason, new OperationError("the MLContext was lost: " + reason));
    }

    private synchronized void end(String reason, WebNNException pendingError) {
        if (destroyed) return;
        destroyed = true;
        Object[] objects;
        synchronized (owned) {
            objects = owned.toArray();
        }
        for (Object o : objects) {
            if (o instanceof MLTensor t) t.markDestroyed();
            else if (o instanceof MLGraph g) g.markDestroyed();
        }
        lostReason = reason;
        for (CompletableFuture<?> f : pending) f.completeExceptionally(pendingError);
        try {
            timeline.execute(() -> {
                try {
                    backend.close();
                } finally {
                    lost.complete(new MLContextLostInfo(reason));
                }
            });
        } catch (RejectedExecutionException e) {
            lost.complete(new MLContextLostInfo(reason));
        }
        timeline.shutdown();
    }

    private <T> T own(T object) {
        owned.add(object);
        return object;
    }

    void ensureAlive() {
        if (destroyed) {
            throw new InvalidStateError(lostReason == null || lostReason.equals("destroyed")
                    ? "the MLContext has been destroyed" : "the MLContext was lost: " + lostReason);
        }
    }

    private <T> CompletableFuture<T> submit(Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        pending.add(f);
        f.whenComplete((v, e) -> pending.remove(f));
        try {
            timeline.execute(() -> {
                if (f.isDone()) return;
                try {
                    f.complete(work.get());
                } catch (WebNNException e) {
                    f.completeExceptionally(e);
                } catch (OutOfMemoryError e) {
                    f.completeExceptionally(new OperationError("out of memory: " + e.getMessage(), e));
                } catch (RuntimeException e) {
                    f.completeExceptionally(new OperationError(backend.name() + " backend failed: " + e, e));
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new InvalidStateError("the MLContext has been destroyed"));
        }
        return f;
    }

    @Override
    public String toString() { return "MLContext(" + backend.name() + (destroyed ? ", destroyed" : "") + ")"; }
}
