package dev.anneau.conformance.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anneau.conformance.BuilderCalls;
import dev.anneau.conformance.validation.ValidationSuite.Call;
import dev.anneau.conformance.validation.ValidationSuite.Subtest;
import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLPowerPreference;
import dev.anneau.webnn.MLTensor;
import dev.anneau.webnn.MLTensorDescriptor;
import dev.anneau.webnn.NotSupportedError;
import dev.anneau.webnn.TypeError;
import dev.anneau.webnn.WebNNException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Replays the recorded calls of one WPT validation subtest against a fresh {@link MLContext}.
 *
 * <p>The recording (see {@code validation.md}) is lossy in a few ways this class bridges:
 * <ul>
 *   <li>An operand argument is recorded as its descriptor only: it becomes {@code builder.input()}
 *       with a unique name. When the subtest dispatches the graph, descriptor arguments take the
 *       names of the dispatch inputs with the same type in order, and any left over become
 *       zero-filled constants (the recorded graphs use constants there).</li>
 *   <li>{@code {"from": N}} names an earlier result by the recorder's global object id: it is bound
 *       to the latest result not bound yet (ids grow with the calls).</li>
 *   <li>One builder serves the subtest; a builder call after a successful {@code build()} that
 *       does not expect {@code InvalidStateError} gets a new builder (the WPT creates one).</li>
 *   <li>{@code {"tensor": descriptor}} is the first tensor created with that descriptor that the
 *       same call has not used yet; {@code {"graph": true}} is the last built graph.</li>
 *   <li>Dimensions that are fractions of 2<sup>31</sup>−1 were computed by the WPT from the recorder's
 *       {@code maxTensorByteLength}; they are recomputed from this context's limit, then
 *       truncated as WebIDL {@code unsigned long} conversion does.</li>
 *   <li>{@code {}} as constant data is an {@code ArrayBuffer}; its byte length is the one of the
 *       typed array the same subtest uses, else the descriptor's.</li>
 * </ul>
 * Creating an operand argument is set-up, as in the WPT (outside the assertion): if it fails the
 * subtest fails, it never counts as the expected exception.
 */
public final class SubtestRunner {
    /** How long a promise may take to settle. */
    static final long TIMEOUT_MS = 20_000;

    /** Result of one subtest. {@code vacuous}: nothing was checked (no recorded call). */
    public record Outcome(boolean passed, String reason, boolean vacuous, boolean notImplemented) {
        static Outcome pass() { return new Outcome(true, null, false, false); }

        static Outcome vacuousPass() { return new Outcome(true, "no recorded call", true, false); }

        static Outcome fail(String reason, boolean notImplemented) { return new Outcome(false, reason, false, notImplemented); }
    }

    private final MLContextOptions contextOptions;

    public SubtestRunner(MLContextOptions contextOptions) { this.contextOptions = contextOptions; }

    public Outcome run(Subtest test) {
        if (test.calls().isEmpty()) {
            Outcome synthetic = UnsupportedDataTypeCheck.runIfApplicable(test, contextOptions);
            return synthetic != null ? synthetic : Outcome.vacuousPass();
        }
        MLContext context;
        try {
            context = ML.createContextNow(contextOptions);
        } catch (RuntimeException e) {
            return Outcome.fail("could not create an MLContext: " + describe(e), false);
        }
        Run run = new Run(test, context);
        try {
            return run.execute();
        } finally {
            run.close();
        }
    }

    /** A failure in the runner's own set-up of a call (never an expected exception). */
    static final class SetupFailure extends RuntimeException {
        SetupFailure(String message) { super(message); }
    }

    /** Marker for JavaScript {@code undefined}. */
    private static final Object UNDEFINED = new Object() {
        @Override
        public String toString() { return "undefined"; }
    };

    record TypedArray(String type, int length, double fill) {
        int elementSize() {
            return switch (type) {
                case "Float64Array", "BigInt64Array", "BigUint64Array" -> 8;
                case "Float32Array", "Int32Array", "Uint32Array" -> 4;
                case "Float16Array", "Int16Array", "Uint16Array" -> 2;
                case "Int8Array", "Uint8Array", "Uint8ClampedArray" -> 1;
                default -> throw new SetupFailure("unknown typed array type " + type);
            };
        }

        long byteLength() { return (long) length * elementSize(); }

        /** Little-endian bytes of the array (every element {@code fill}). */
        ByteBuffer bytes() {
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(byteLength())).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < length; i++) {
                switch (type) {
                    case "Float64Array" -> b.putDouble(fill);
                    case "BigInt64Array", "BigUint64Array" -> b.putLong((long) fill);
                    case "Float32Array" -> b.putFloat((float) fill);
                    case "Int32Array", "Uint32Array" -> b.putInt((int) (long) fill);
                    case "Float16Array" -> b.putShort(Float.floatToFloat16((float) fill));
                    case "Int16Array", "Uint16Array" -> b.putShort((short) (long) fill);
                    default -> b.put((byte) (long) fill);
                }
            }
            b.flip();
            return b;
        }
    }

    /** A JavaScript {@code ArrayBuffer}, recorded as {@code {}}. */
    record ArrayBufferArg() {}

    /** {@code nth}: which tensor of that descriptor (creation order), or -1 for the first one this call has not used. */
    record TensorRef(String key, int nth) {}

    record GraphRef() {}

    private record Created(String key, CompletableFuture<MLTensor> future) {}

    private record Deferred(int call, String method, CompletableFuture<?> future, Expectation expect) {}

    private static final class DispatchInput {
        final String name;
        final String key;
        boolean assigned;

        DispatchInput(String name, String key) {
            this.name = name;
            this.key = key;
        }
    }

    private final class Run {
        final Subtest test;
        final List<Call> calls;
        final MLContext context;
        final List<MLContext> extraContexts = new ArrayList<>();
        MLGraphBuilder builder;
        boolean builderBuilt;
        MLGraphBuilder otherBuilder;
        final MLOperand[][] results;
        final Map<Long, MLOperand> fromIds = new HashMap<>();
        final IdentityHashMap<MLOperand, MLGraphBuilder> owners = new IdentityHashMap<>();
        /** Operands made from recorded descriptors, per builder, in order. */
        final IdentityHashMap<MLGraphBuilder, List<MLOperand>> described = new IdentityHashMap<>();
        /** Operand to the call that last used it (a descriptor is reused at most once per call). */
        final IdentityHashMap<MLOperand, Integer> usedInCall = new IdentityHashMap<>();
        final List<Created> tensors = new ArrayList<>();
        CompletableFuture<MLGraph> graph;
        CompletableFuture<?> lastFuture;
        final List<Deferred> deferred = new ArrayList<>();
        final List<DispatchInput> dispatchInputs = new ArrayList<>();
        boolean hasDispatch;
        final AtomicInteger inputCounter = new AtomicInteger();
        long maxTensorByteLength = -1;
        int current;

        Run(Subtest test, MLContext context) {
            this.test = test;
            this.calls = test.calls();
            this.context = context;
            this.results = new MLOperand[calls.size()][];
            for (Call c : calls) {
                if (c.method().equals("context.dispatch") && !hasDispatch) {
                    hasDispatch = true;
                    JsonNode ins = c.arg(1);
                    if (ins != null && ins.isObject()) {
                        for (Iterator<Map.Entry<String, JsonNode>> it = ins.properties().iterator(); it.hasNext(); ) {
                            Map.Entry<String, JsonNode> e = it.next();
                            JsonNode t = e.getValue().get("tensor");
                            if (t != null) dispatchInputs.add(new DispatchInput(e.getKey(), typeKey(t)));
                        }
                    }
                }
            }
        }

        Outcome execute() {
            try {
                // as every WPT subtest does first
                builder = new MLGraphBuilder(context);
            } catch (RuntimeException e) {
                return Outcome.fail("new MLGraphBuilder failed: " + describe(e), false);
            }
            for (current = 0; current < calls.size(); current++) {
                Call c = calls.get(current);
                String failure;
                try {
                    failure = step(c);
                } catch (SetupFailure e) {
                    failure = "could not set up the call: " + e.getMessage();
                }
                if (failure != null) return failed(current, c, failure);
            }
            for (Deferred d : deferred) {
                String failure = settle(d.future(), d.expect());
                if (failure != null) return failed(d.call(), calls.get(d.call()), failure);
            }
            return Outcome.pass();
        }

        private Outcome failed(int index, Call c, String failure) {
            boolean notImplemented = failure.contains("not implemented yet");
            return Outcome.fail("call #" + index + " " + c.method() + " (expected " + c.expect() + "): " + failure, notImplemented);
        }

        void close() {
            context.destroy();
            for (MLContext c : extraContexts) c.destroy();
        }

        // ------------------------------------------------------------------ one call

        String step(Call c) {
            Expectation e = c.expect();
            if (c.method().equals("<promise>")) {
                if (lastFuture == null) return "no earlier call returned a promise";
                return expectFuture(lastFuture, e, c.method());
            }
            java.util.concurrent.Callable<Object> action = prepare(c);
            Object value = null;
            Throwable thrown = null;
            try {
                value = action.call();
            } catch (Throwable t) {
                thrown = t;
            }
            return check(c, value, thrown);
        }

        private boolean nextIsPromise() {
            return current + 1 < calls.size() && calls.get(current + 1).method().equals("<promise>");
        }

        /** Resolves arguments (set-up) and returns the call itself. */
        java.util.concurrent.Callable<Object> prepare(Call c) {
            String m = c.method();
            Expectation e = c.expect();
            switch (m) {
                case "input": {
                    MLGraphBuilder b = builderFor(e);
                    Object name = value(c.arg(0));
                    JsonNode desc = c.arg(1);
                    return () -> b.input(name instanceof String s ? s : String.valueOf(name), descriptor(desc));
                }
                case "constant": {
                    MLGraphBuilder b = builderFor(e);
                    JsonNode desc = c.arg(0);
                    Object data = value(c.arg(1));
                    return () -> constant(b, descriptor(desc), data);
                }
                case "build": {
                    Object outs = value(c.arg(0));
                    MLGraphBuilder b = ownerOfFirst(outs);
                    if (b == null) b = builderFor(e);
                    MLGraphBuilder target = b;
                    return () -> {
                        Map<String, MLOperand> map = operandMap(outs);
                        CompletableFuture<MLGraph> f = target.build(map);
                        if (target == builder && !failedNow(f)) builderBuilt = true;
                        return f;
                    };
                }
                case "new MLGraphBuilder":
                    return () -> {
                        MLGraphBuilder b = new MLGraphBuilder(context);
                        builder = b;
                        builderBuilt = false;
                        return b;
                    };
                case "createContext": {
                    JsonNode opts = c.arg(0);
                    return () -> createContext(opts);
                }
                case "context.destroy":
                    return () -> {
                        context.destroy();
                        return null;
                    };
                case "context.lost":
                    return context::lost;
                case "graph.destroy": {
                    MLGraph g = awaitGraph();
                    return () -> {
                        if (g == null) throw new SetupFailure("no built graph to destroy");
                        g.destroy();
                        return null;
                    };
                }
                case "context.createTensor": {
                    JsonNode desc = c.arg(0);
                    return () -> {
                        MLTensorDescriptor d = tensorDescriptor(desc);
                        CompletableFuture<MLTensor> f = context.createTensor(d);
                        tensors.add(new Created(tensorKey(desc), f));
                        return f;
                    };
                }
                case "context.writeTensor": {
                    Map<Object, Boolean> used = new IdentityHashMap<>();
                    MLTensor t = tensor(value(c.arg(0)), used);
                    Object data = value(c.arg(1));
                    return () -> {
                        ByteBuffer bytes;
                        if (data instanceof TypedArray ta) bytes = ta.bytes();
                        else if (data instanceof ArrayBufferArg) bytes = ByteBuffer.allocate(t == null ? 0 : (int) t.type().byteLength());
                        else throw new SetupFailure("writeTensor data must be a typed array or ArrayBuffer, got " + data);
                        context.writeTensor(t, bytes);
                        return null;
                    };
                }
                case "context.readTensor": {
                    Map<Object, Boolean> used = new IdentityHashMap<>();
                    MLTensor t = tensor(value(c.arg(0)), used);
                    Object into = value(c.arg(1));
                    return () -> {
                        if (into == null || into == UNDEFINED) return context.readTensor(t);
                        if (into instanceof TypedArray ta) return context.readTensor(t, ByteBuffer.allocate((int) ta.byteLength()));
                        throw new SetupFailure("readTensor destination must be a typed array, got " + into);
                    };
                }
                case "context.dispatch": {
                    Map<Object, Boolean> used = new IdentityHashMap<>();
                    Object g = value(c.arg(0));
                    Map<String, MLTensor> ins = tensorMap(value(c.arg(1)), used);
                    Map<String, MLTensor> outs = tensorMap(value(c.arg(2)), used);
                    MLGraph graphArg = g instanceof GraphRef ? awaitGraph() : null;
                    return () -> {
                        context.dispatch(graphArg, ins, outs);
                        return null;
                    };
                }
                default: {
                    if (m.startsWith("context.") || m.startsWith("graph.") || m.startsWith("<")) {
                        throw new SetupFailure("the runner does not know the method '" + m + "'");
                    }
                    MLGraphBuilder b = builderFor(e);
                    List<Object> args = new ArrayList<>();
                    for (int i = 0; i < c.argCount(); i++) args.add(operatorArg(value(c.arg(i))));
                    return () -> BuilderCalls.call(b, m, args);
                }
            }
        }

        /** JavaScript undefined becomes an absent (null) argument. */
        private Object operatorArg(Object v) { return v == UNDEFINED ? null : v; }

        private MLGraphBuilder builderFor(Expectation e) {
            if (builderBuilt && !e.expectsError("InvalidStateError")) {
                try {
                    builder = new MLGraphBuilder(context);
                } catch (RuntimeException ex) {
                    throw new SetupFailure("new MLGraphBuilder for the next graph failed: " + describe(ex));
                }
                builderBuilt = false;
            }
            return builder;
        }

        private MLGraphBuilder ownerOfFirst(Object outs) {
            if (outs instanceof Map<?, ?> m) {
                for (Object v : m.values()) {
                    if (v instanceof MLOperand o && owners.containsKey(o)) return owners.get(o);
                }
            }
            return null;
        }

        private boolean failedNow(CompletableFuture<?> f) {
            if (!f.isCompletedExceptionally()) return false;
            Throwable t = cause(f);
            return t instanceof WebNNException;
        }

        // ------------------------------------------------------------------ checks

        String check(Call c, Object value, Throwable thrown) {
            Expectation e = c.expect();
            if (thrown instanceof SetupFailure s) return "could not set up the call: " + s.getMessage();
            switch (e.kind()) {
                case THROWS: {
                    if (thrown == null) return "returned " + show(value) + " instead of throwing";
                    if (!(thrown instanceof WebNNException w)) return "threw a non-WebNN exception " + describe(thrown);
                    if (!e.expectsError(w.errorName())) return "threw " + describe(w);
                    if (e.withLabel()) {
                        String label = label(c);
                        if (label != null && (w.getMessage() == null || !w.getMessage().contains("[" + label + "]"))) {
                            return "the TypeError message does not contain the label [" + label + "]: " + w.getMessage();
                        }
                    }
                    return null;
                }
                case REJECTS: {
                    if (thrown != null) return "threw synchronously " + describe(thrown) + " instead of returning a rejected promise";
                    if (!(value instanceof CompletableFuture<?> f)) return "returned " + show(value) + ", not a promise";
                    lastFuture = f;
                    deferred.add(new Deferred(current, c.method(), f, e));
                    return null;
                }
                case OUTPUT: {
                    if (thrown != null) return "threw " + describe(thrown);
                    MLOperand[] outs = record(value);
                    if (outs == null) return "returned " + show(value) + ", not operands";
                    if (outs.length != e.outputs().size()) {
                        return "returned " + outs.length + " operands, expected " + e.outputs().size();
                    }
                    for (int i = 0; i < outs.length; i++) {
                        Expectation.OutputType want = e.outputs().get(i);
                        if (outs[i] == null) return "output " + i + " is null";
                        String got = outs[i].dataType().specName() + Arrays.toString(outs[i].shape());
                        if (!want.dataType().equals(outs[i].dataType().specName()) || !Arrays.equals(want.shape(), outs[i].shape())) {
                            return "output " + (outs.length > 1 ? i + " " : "") + "is " + got + ", expected " + want;
                        }
                    }
                    return null;
                }
                case RESOLVES:
                case SUCCEEDS: {
                    if (thrown != null) return "threw " + describe(thrown);
                    record(value);
                    if (value instanceof CompletableFuture<?> f) {
                        lastFuture = f;
                        if (nextIsPromise()) return null; // the <promise> line carries the expectation
                        switch (c.method()) {
                            case "build" -> {
                                graph = castGraph(f);
                                return settle(f, e); // the WPT awaits build() before going on
                            }
                            case "context.createTensor" -> {
                                return null; // awaited where the tensor is used
                            }
                            default -> deferred.add(new Deferred(current, c.method(), f, e));
                        }
                    }
                    return null;
                }
                default:
                    throw new IllegalStateException(e.kind().toString());
            }
        }

        @SuppressWarnings("unchecked")
        private CompletableFuture<MLGraph> castGraph(CompletableFuture<?> f) { return (CompletableFuture<MLGraph>) f; }

        private String expectFuture(CompletableFuture<?> f, Expectation e, String method) {
            if (e.kind() == Expectation.Kind.THROWS || e.kind() == Expectation.Kind.OUTPUT) {
                return "a promise cannot meet the expectation " + e;
            }
            deferred.add(new Deferred(current, method, f, e));
            return null;
        }

        /** Waits for a promise and checks it against a REJECTS, SUCCEEDS or RESOLVES expectation. */
        String settle(CompletableFuture<?> f, Expectation e) {
            Object v;
            try {
                v = f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException ex) {
                return "the promise did not settle within " + TIMEOUT_MS / 1000 + " s";
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return "interrupted";
            } catch (ExecutionException | CompletionException | java.util.concurrent.CancellationException ex) {
                Throwable t = unwrap(ex);
                if (e.kind() != Expectation.Kind.REJECTS) return "the promise rejected with " + describe(t);
                if (!(t instanceof WebNNException w)) return "the promise rejected with a non-WebNN exception " + describe(t);
                if (!e.expectsError(w.errorName())) return "the promise rejected with " + describe(w);
                return null;
            }
            if (e.kind() == Expectation.Kind.REJECTS) return "the promise resolved (to " + show(v) + ") instead of rejecting";
            if (e.kind() == Expectation.Kind.RESOLVES) return compareResolved(v, e.resolvesTo());
            return null;
        }

        private String compareResolved(Object v, JsonNode want) {
            if (!(v instanceof ByteBuffer buf)) return "the promise resolved to " + show(v) + ", expected a buffer";
            ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            JsonNode values = want.get("float32");
            if (values == null || !values.isArray()) throw new SetupFailure("'resolves' supports {\"float32\": [...]} only");
            float[] got = new float[b.remaining() / 4];
            b.asFloatBuffer().get(got);
            float[] exp = new float[values.size()];
            for (int i = 0; i < exp.length; i++) exp[i] = (float) values.get(i).asDouble();
            return Arrays.equals(got, exp) ? null : "read " + Arrays.toString(got) + ", expected " + Arrays.toString(exp);
        }

        private MLOperand[] record(Object value) {
            MLOperand[] outs = value instanceof MLOperand o ? new MLOperand[] {o} : value instanceof MLOperand[] a ? a : null;
            if (outs != null) {
                results[current] = outs;
                MLGraphBuilder b = lastBuilder();
                for (MLOperand o : outs) if (o != null && b != null) owners.put(o, b);
            }
            return outs;
        }

        private MLGraphBuilder lastBuilder() { return builder; }

        private String label(Call c) {
            for (int i = 0; i < c.argCount(); i++) {
                JsonNode a = c.arg(i);
                if (a != null && a.isObject() && a.path("label").isTextual() && !a.has("operand")) return a.get("label").asText();
            }
            return null;
        }

        // ------------------------------------------------------------------ argument values

        /** Converts a recorded argument into the Java value the API (or BuilderCalls) takes. */
        Object value(JsonNode n) {
            if (n == null || n.isNull()) return null;
            if (n.isTextual()) return n.asText();
            if (n.isBoolean()) return n.asBoolean();
            if (n.isIntegralNumber()) {
                if (n.canConvertToInt()) return n.asInt();
                if (n.canConvertToLong()) return n.asLong();
                return n.bigIntegerValue();
            }
            if (n.isNumber()) return n.asDouble();
            if (n.isArray()) {
                List<Object> l = new ArrayList<>();
                for (JsonNode e : n) {
                    Object v = value(e);
                    l.add(v == UNDEFINED ? null : v);
                }
                return l;
            }
            if (n.has("operand")) return operand(n);
            if (n.has("undefined") && n.size() == 1) return UNDEFINED;
            if (n.has("number") && n.size() == 1) return number(n.get("number").asText());
            if (n.has("bigint") && n.size() == 1) return new BigInteger(n.get("bigint").asText());
            if (n.has("typedArray")) {
                return new TypedArray(n.get("typedArray").asText(), n.path("length").asInt(), n.path("fill").asDouble(0));
            }
            if (n.has("tensor") && (n.size() == 1 || n.size() == 2 && n.has("nth"))) {
                return new TensorRef(tensorKey(n.get("tensor")), n.path("nth").asInt(-1));
            }
            if (n.has("graph") && n.size() == 1) return new GraphRef();
            if (n.isEmpty() && isConstantData(n)) return new ArrayBufferArg();
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Object v = value(e.getValue());
                if (v != UNDEFINED) m.put(e.getKey(), v);
            }
            return m;
        }

        private boolean isConstantData(JsonNode n) {
            Call c = calls.get(current);
            return c.method().equals("constant") && c.arg(1) == n
                    || c.method().equals("context.writeTensor") && c.arg(1) == n;
        }

        private Double number(String s) {
            return switch (s) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> {
                    try {
                        yield Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        throw new SetupFailure("not a number: " + s);
                    }
                }
            };
        }

        private MLOperand operand(JsonNode n) {
            JsonNode inner = n.get("operand");
            if (inner.has("from")) return fromRef(inner.get("from").asLong());
            boolean other = n.path("fromOtherBuilder").asBoolean(false);
            MLGraphBuilder b;
            if (other) {
                if (otherBuilder == null) {
                    try {
                        otherBuilder = new MLGraphBuilder(context);
                    } catch (RuntimeException e) {
                        throw new SetupFailure("new MLGraphBuilder (the other builder) failed: " + describe(e));
                    }
                }
                b = otherBuilder;
            } else {
                b = builderFor(calls.get(current).expect());
            }
            MLOperandDescriptor d;
            try {
                d = descriptor(inner);
            } catch (RuntimeException e) {
                throw new SetupFailure("operand descriptor " + inner + ": " + describe(e));
            }
            if (!other && b == builder && builderBuilt) {
                // the WPT made these operands before build(); reuse the builder's earlier ones of that type
                for (MLOperand earlier : described.getOrDefault(b, List.of())) {
                    Integer lastUse = usedInCall.get(earlier);
                    if (earlier.dataType() == d.dataType() && Arrays.equals(earlier.shape(), d.shape())
                            && (lastUse == null || lastUse != current)) {
                        usedInCall.put(earlier, current);
                        return earlier;
                    }
                }
                throw new SetupFailure("the builder is built and has no earlier operand " + d + " to pass");
            }
            MLOperand o;
            try {
                o = createOperand(b, d, other);
            } catch (RuntimeException e) {
                throw new SetupFailure("creating the operand " + d + " failed: " + describe(e));
            }
            owners.put(o, b);
            described.computeIfAbsent(b, k -> new ArrayList<>()).add(o);
            usedInCall.put(o, current);
            return o;
        }

        private MLOperand createOperand(MLGraphBuilder b, MLOperandDescriptor d, boolean other) {
            if (!other && hasDispatch) {
                String key = d.dataType().specName() + Arrays.toString(d.shape());
                for (DispatchInput in : dispatchInputs) {
                    if (!in.assigned && in.key.equals(key)) {
                        in.assigned = true;
                        return b.input(in.name, d);
                    }
                }
                long bytes = d.dataType().byteLength(Arrays.stream(d.shape()).reduce(1, Math::multiplyExact));
                return b.constant(d, ByteBuffer.allocate(Math.toIntExact(bytes)));
            }
            return b.input("input" + inputCounter.incrementAndGet(), d);
        }

        private MLOperand fromRef(long id) {
            MLOperand bound = fromIds.get(id);
            if (bound != null) return bound;
            for (long k : fromIds.keySet()) {
                if (k > id) throw new SetupFailure("{from: " + id + "} refers to a result older than {from: " + k + "}");
            }
            for (int j = current - 1; j >= 0; j--) {
                if (results[j] != null && results[j].length > 0) {
                    MLOperand cand = results[j][0];
                    if (fromIds.containsValue(cand)) break;
                    fromIds.put(id, cand);
                    return cand;
                }
            }
            throw new SetupFailure("{from: " + id + "}: no earlier call produced an operand it can refer to");
        }

        /** WebIDL conversion of an MLOperandDescriptor dictionary. */
        MLOperandDescriptor descriptor(JsonNode n) {
            if (n == null || !n.isObject()) throw new TypeError("the descriptor must be a dictionary");
            JsonNode dt = n.get("dataType");
            if (dt == null || dt.isNull()) throw new TypeError("descriptor.dataType is required");
            MLOperandDataType type = MLOperandDataType.fromSpecName(dt.asText());
            JsonNode s = n.has("shape") ? n.get("shape") : n.get("dimensions");
            if (s == null || !s.isArray()) throw new TypeError("descriptor.shape is required and must be a sequence");
            long[] shape = new long[s.size()];
            for (int i = 0; i < shape.length; i++) shape[i] = dimension(s.get(i));
            return new MLOperandDescriptor(type, shape);
        }

        private long dimension(JsonNode v) {
            if (!v.isNumber()) throw new TypeError("shape entries must be numbers, got " + v);
            double d = v.asDouble();
            if (Double.isNaN(d) || Double.isInfinite(d)) throw new TypeError("shape entry " + v + " is not finite");
            if (d != Math.rint(d)) {
                // maxTensorByteLength / k as computed by the WPT with the recorder's limit 2^31-1
                for (int k = 1; k <= 16; k++) {
                    if (Math.abs(d * k - 2147483647.0) < 1e-3) {
                        return (long) Math.floor(maxTensorByteLength() / (double) k);
                    }
                }
            }
            return (long) d; // WebIDL: truncate toward zero
        }

        private long maxTensorByteLength() {
            if (maxTensorByteLength < 0) maxTensorByteLength = context.opSupportLimits().maxTensorByteLength();
            return maxTensorByteLength;
        }

        MLTensorDescriptor tensorDescriptor(JsonNode n) {
            MLOperandDescriptor d = descriptor(n);
            return new MLTensorDescriptor(d, n.path("readable").asBoolean(false), n.path("writable").asBoolean(false));
        }

        private Object constant(MLGraphBuilder b, MLOperandDescriptor d, Object data) {
            if (data instanceof TypedArray ta) {
                int n = ta.length();
                return switch (ta.type()) {
                    case "Float32Array" -> b.constant(d, new float[n]);
                    // Java has one 16-bit array type; short[] carries float16 bit patterns
                    case "Float16Array", "Uint16Array", "Int16Array" -> b.constant(d, new short[n]);
                    case "Int32Array", "Uint32Array" -> b.constant(d, new int[n]);
                    case "BigInt64Array", "BigUint64Array" -> b.constant(d, new long[n]);
                    case "Int8Array", "Uint8Array" -> b.constant(d, new byte[n]);
                    default -> throw new SetupFailure("no Java counterpart for " + ta.type());
                };
            }
            if (data instanceof ArrayBufferArg) return b.constant(d, ByteBuffer.allocate(arrayBufferLength(d)));
            if (data == null || data == UNDEFINED) return b.constant(d, (ByteBuffer) null);
            throw new SetupFailure("constant data must be a typed array or ArrayBuffer, got " + data);
        }

        /** The recorded {@code {}} lost its length: use the typed array of the same subtest, else the descriptor's size. */
        private int arrayBufferLength(MLOperandDescriptor d) {
            for (Call c : calls) {
                JsonNode a = c.arg(1);
                if (c.method().equals("constant") && a != null && a.has("typedArray")) {
                    return Math.toIntExact(((TypedArray) value(a)).byteLength());
                }
            }
            try {
                long elements = 1;
                for (long s : d.shape()) elements = Math.multiplyExact(elements, s);
                return Math.toIntExact(d.dataType().byteLength(elements));
            } catch (ArithmeticException e) {
                return 0;
            }
        }

        private Map<String, MLOperand> operandMap(Object v) {
            if (!(v instanceof Map<?, ?> m)) throw new TypeError("build: outputs must be a record<USVString, MLOperand>");
            Map<String, MLOperand> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getValue() instanceof MLOperand o)) throw new TypeError("build: output '" + e.getKey() + "' is not an MLOperand");
                out.put(String.valueOf(e.getKey()), o);
            }
            return out;
        }

        private Map<String, MLTensor> tensorMap(Object v, Map<Object, Boolean> used) {
            if (!(v instanceof Map<?, ?> m)) throw new SetupFailure("dispatch: expected a record of tensors, got " + v);
            Map<String, MLTensor> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), tensor(e.getValue(), used));
            return out;
        }

        /** The first created tensor with the descriptor that this call has not used yet; null if it failed. */
        private MLTensor tensor(Object ref, Map<Object, Boolean> used) {
            if (!(ref instanceof TensorRef r)) throw new SetupFailure("expected a tensor reference, got " + ref);
            int seen = 0;
            for (Created c : tensors) {
                if (!c.key().equals(r.key())) continue;
                if (r.nth() >= 0 ? seen++ != r.nth() : used.containsKey(c)) continue;
                used.put(c, true);
                try {
                    return c.future().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                } catch (ExecutionException | CompletionException ex) {
                    return null; // createTensor rejected; the call sees no tensor
                } catch (TimeoutException ex) {
                    throw new SetupFailure("createTensor did not settle within " + TIMEOUT_MS / 1000 + " s");
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new SetupFailure("interrupted");
                }
            }
            throw new SetupFailure("no tensor was created with the descriptor " + r.key());
        }

        private MLGraph awaitGraph() {
            if (graph == null) return null;
            try {
                return graph.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | CompletionException ex) {
                return null;
            } catch (TimeoutException ex) {
                throw new SetupFailure("build did not settle within " + TIMEOUT_MS / 1000 + " s");
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new SetupFailure("interrupted");
            }
        }

        /**
         * {@code navigator.ml.createContext(options)} as the WebIDL binding does it: a bad enum value
         * rejects the promise. {@code deviceType} is not part of the Java API (nor of the current
         * spec), so, like an unknown dictionary member, it is ignored.
         */
        private CompletableFuture<MLContext> createContext(JsonNode opts) {
            MLContextOptions o;
            try {
                MLPowerPreference pref = MLPowerPreference.DEFAULT;
                boolean accelerated = true;
                if (opts != null && opts.isObject()) {
                    if (opts.has("powerPreference")) pref = MLPowerPreference.fromSpecName(opts.get("powerPreference").asText());
                    if (opts.has("accelerated")) accelerated = opts.get("accelerated").asBoolean();
                }
                o = new MLContextOptions(pref, accelerated, contextOptions.backend());
            } catch (WebNNException e) {
                return CompletableFuture.failedFuture(e);
            }
            CompletableFuture<MLContext> f = ML.createContext(o);
            f.thenAccept(extraContexts::add);
            return f;
        }
    }

    // ------------------------------------------------------------------ helpers

    static String typeKey(JsonNode desc) {
        return desc.path("dataType").asText() + desc.path("shape").toString().replace(",", ", ");
    }

    static String tensorKey(JsonNode desc) {
        return typeKey(desc) + (desc.path("readable").asBoolean(false) ? " readable" : "")
                + (desc.path("writable").asBoolean(false) ? " writable" : "");
    }

    static Throwable cause(CompletableFuture<?> f) {
        try {
            f.getNow(null);
            return null;
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return unwrap(e);
        }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) t = t.getCause();
        return t;
    }

    static String describe(Throwable t) {
        if (t instanceof NotSupportedError n && String.valueOf(n.getMessage()).contains("not implemented yet")) {
            return "NotSupportedError (not implemented yet): " + n.getMessage();
        }
        if (t instanceof WebNNException w) return w.errorName() + ": " + w.getMessage();
        return t.getClass().getName() + ": " + t.getMessage();
    }

    static String show(Object v) {
        if (v instanceof MLOperand[] a) return Arrays.toString(a);
        if (v instanceof CompletableFuture<?>) return "a promise";
        return String.valueOf(v);
    }
}
