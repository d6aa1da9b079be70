package dev.anneau.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOpSupportLimits;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLTensor;
import dev.anneau.webnn.MLTensorDescriptor;
import dev.anneau.webnn.MLTensorLimits;
import dev.anneau.webnn.WebNNException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs WPT graph tests on one backend, the way the WPT harness's {@code buildAndExecuteGraph}
 * does (SUITE-README "Building the graph"): graph inputs and constants become a new operand at
 * each use, operators are called by name through {@link BuilderCalls}, output operands are
 * checked against the expected descriptors before {@code build()}, then the graph is built,
 * dispatched and read back and compared with {@link Tolerance}.
 *
 * <p>Any exception a test raises (TypeError, NotSupportedError, OperationError, a bug) makes that
 * test fail with the message as reason; the run continues. Each test runs on a worker thread with
 * a timeout; a test that hangs fails and its context is replaced. Not thread-safe: one runner per thread.
 */
public final class ConformanceRunner implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final String requestedBackend;
    private Duration timeout;
    private final Quirks quirks;
    private MLContext context;
    private MLOpSupportLimits limits;
    private String contextError;
    private ExecutorService worker;
    private java.util.function.UnaryOperator<MLOpSupportLimits> limitsView = l -> l;

    /** A runner on the named backend (null: the default choice of {@link ML}). */
    public ConformanceRunner(String backend) { this(backend, DEFAULT_TIMEOUT, Quirks.builtIn()); }

    public ConformanceRunner(String backend, Duration timeout, Quirks quirks) {
        this.requestedBackend = backend;
        this.timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        this.quirks = quirks == null ? Quirks.none() : quirks;
    }

    /**
     * Makes the runner decide castToSupportedType from {@code view(limits)} instead of the context's
     * limits (for tests of that path on a backend that supports every type). Takes effect for the next context.
     */
    void limitsView(java.util.function.UnaryOperator<MLOpSupportLimits> view) {
        this.limitsView = view;
        if (context != null) limits = view.apply(context.opSupportLimits());
    }

    /** Changes the per-test time limit for the following tests. */
    public void timeout(Duration limit) { this.timeout = limit == null ? DEFAULT_TIMEOUT : limit; }

    /** The name of the backend the tests run on (after a context could be created), else the requested name or "default". */
    public String backendName() {
        ensureContext();
        if (context != null) return context.backendName();
        return requestedBackend == null ? "default" : requestedBackend;
    }

    /** The context's limits, or null when no context could be created. */
    public MLOpSupportLimits opSupportLimits() {
        ensureContext();
        return limits;
    }

    /** Runs every test in order, calling {@code progress} after each. */
    public List<TestResult> runAll(List<WptTest> tests, Consumer<TestResult> progress) {
        List<TestResult> out = new ArrayList<>(tests.size());
        for (WptTest t : tests) {
            TestResult r = run(t);
            out.add(r);
            if (progress != null) progress.accept(r);
        }
        return out;
    }

    /** A failed result standing for a file that could not be loaded. */
    public static TestResult loadFailure(WptSuite.LoadError e, String backend) {
        return new TestResult(e.suite(), e.file(), "<load error>", backend, TestStatus.FAILED, null, null, null, e.message(), List.of(), 0);
    }

    // ------------------------------------------------------------------ one test

    /** Runs one test; never throws. */
    public TestResult run(WptTest test) {
        long t0 = System.nanoTime();
        String backend = backendName();
        Double tol = test.tolerance() == null ? null : test.tolerance().value();
        if (test.schemaError() != null) {
            return new TestResult(test.suite(), test.file(), test.name(), backend, TestStatus.FAILED, null, null, null, test.schemaError(), List.of(), 0);
        }
        if (context == null) {
            return new TestResult(test.suite(), test.file(), test.name(), backend, TestStatus.FAILED, null, null, tol,
                    "no context: " + contextError, List.of(), 0);
        }
        Quirks.TestQuirk quirk = quirks.forTest(test.file(), test.name());
        AtomicReference<String> phase = new AtomicReference<>("starting");
        Outcome o = runWithTimeout(test, phase);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return judge(test, backend, quirk, o, ms);
    }

    private Outcome runWithTimeout(WptTest test, AtomicReference<String> phase) {
        if (worker == null) {
            worker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "anneau-conformance-worker");
                t.setDaemon(true);
                return t;
            });
        }
        MLContext ctx = context;
        Future<Outcome> f = worker.submit(() -> execute(test, ctx, phase));
        try {
            return f.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            worker = null;
            dropContext();
            return Outcome.error(new TimeoutException("timed out after " + seconds(timeout)), phase.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return Outcome.error(e, phase.get());
        } catch (ExecutionException e) {
            return Outcome.error(e.getCause(), phase.get());
        } finally {
            if (context != null && context.isDestroyed()) dropContext();
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() >= 1000 && d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private TestResult judge(WptTest test, String backend, Quirks.TestQuirk quirk, Outcome o, long ms) {
        Double tol = test.tolerance().value();
        String metric = test.tolerance().errorMetric();
        List<String> notes = o.notes;
        boolean expectUnsupported = quirk != null && quirk.status() == TestStatus.EXPECTED_UNSUPPORTED;
        if (o.error != null) {
            String what = describe(o.error) + " (while " + o.phase + ")";
            if (expectUnsupported && errorName(o.error).equals(quirk.expectError())) {
                return new TestResult(test.suite(), test.file(), test.name(), backend, TestStatus.EXPECTED_UNSUPPORTED, null, null, tol,
                        quirk.reason() + "; threw " + describe(o.error), notes, ms);
            }
            if (!expectUnsupported && (o.error instanceof dev.anneau.webnn.UnsupportedOperandError
                    || o.error instanceof dev.anneau.webnn.NotSupportedError)) {
                return new TestResult(test.suite(), test.file(), test.name(), backend, TestStatus.UNSUPPORTED, null, null, tol,
                        "not claimed by the " + backend + " backend: " + describe(o.error), notes, ms);
            }
            String reason = expectUnsupported ? "expected " + quirk.expectError() + " (" + quirk.reason() + "), got " + what : what;
            return new TestResult(test.suite(), test.file(), test.name(), backend, TestStatus.FAILED, null, null, tol, reason, notes, ms);
        }
        double worst = 0;
        boolean passed = true;
        StringBuilder why = new StringBuilder();
        for (OutputCheck c : o.outputs) {
            worst = Math.max(worst, c.comparison.worstError());
            if (!c.comparison.passed()) {
                passed = false;
                if (!why.isEmpty()) why.append("; ");
                why.append("output '").append(c.name).append("': ").append(c.comparison.mismatches()).append(" of ")
                        .append(c.comparison.compared()).append(" elements outside ").append(test.tolerance())
                        .append(", worst ").append(Tolerance.fmt(c.comparison.worstError())).append(": ")
                        .append(String.join(", ", c.comparison.firstMismatches()));
                if (c.untouched) why.append(" [the output was never written: the dispatch probably failed]");
            }
        }
        if (expectUnsupported) {
            return new TestResult(test.suite(), test.file(), test.name(), backend, TestStatus.FAILED, metric, worst, tol,
                    "expected " + quirk.expectError() + " (" + quirk.reason() + "), but the graph built and ran"
                            + (passed ? "" : " (" + why + ")"), notes, ms);
        }
        if (quirk != null && quirk.status() == TestStatus.KNOWN_WRONG_EXPECTATION) {
            String ran = passed ? "ran: it matches the (known wrong) expected data"
                    : "ran: differs from the (known wrong) expected data, worst " + Tolerance.fmt(worst) + " " + metric;
            return new TestResult(test.suite(), test.file(), test.name(), backend, TestStatus.KNOWN_WRONG_EXPECTATION, metric, worst, tol,
                    quirk.reason() + "; " + ran, notes, ms);
        }
        return new TestResult(test.suite(), test.file(), test.name(), backend, passed ? TestStatus.PASSED : TestStatus.FAILED, metric, worst, tol,
                passed ? null : why.toString(), notes, ms);
    }

    // ------------------------------------------------------------------ building and running a graph

    private record OutputCheck(String name, Tolerance.Comparison comparison, boolean untouched) {}

    private record Feed(MLOperandDescriptor descriptor, ByteBuffer bytes) {}

    /** What happened: either an error (with the phase it happened in) or the comparisons. */
    private static final class Outcome {
        Throwable error;
        String phase;
        final List<OutputCheck> outputs = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        static Outcome error(Throwable t, String phase) {
            Outcome o = new Outcome();
            o.error = t;
            o.phase = phase;
            return o;
        }
    }

    /** Output byte pattern written before dispatch, to notice outputs the dispatch never wrote. */
    private static final byte SENTINEL = (byte) 0xA5;

    private Outcome execute(WptTest test, MLContext ctx, AtomicReference<String> phase) {
        Outcome o = new Outcome();
        List<MLTensor> tensors = new ArrayList<>();
        MLGraph graph = null;
        try {
            GraphBuild gb = new GraphBuild(test, ctx, o.notes);
            phase.set("building the graph");
            JsonNode ops = test.graph().get("operators");
            for (int i = 0; i < ops.size(); i++) {
                JsonNode op = ops.get(i);
                phase.set("building operator #" + (i + 1) + " '" + op.get("name").textValue() + "'");
                gb.operator(op);
            }
            phase.set("checking the output operands");
            Map<String, MLOperand> outputs = new LinkedHashMap<>();
            Map<String, MLOperandDataType> readAs = new LinkedHashMap<>();
            JsonNode expected = test.graph().get("expectedOutputs");
            for (var e : expected.properties()) {
                MLOperand operand = gb.intermediates.get(e.getKey());
                if (operand == null) throw new SchemaException("expected output '" + e.getKey() + "' is not produced by any operator");
                MLOperandDescriptor want = descriptor(e.getValue().get("descriptor"));
                if (operand.dataType() != want.dataType() || !Arrays.equals(operand.shape(), want.shape())) {
                    throw new OutputMismatch("output '" + e.getKey() + "' is " + operand.dataType() + " " + Arrays.toString(operand.shape())
                            + ", the test expects " + want.dataType() + " " + Arrays.toString(want.shape()));
                }
                MLOperandDataType t = want.dataType();
                if (test.castToSupportedType() && !gb.ioSupports("output", t)) {
                    MLOperandDataType w = gb.widerSupported("output", t);
                    o.notes.add("castToSupportedType: output '" + e.getKey() + "' read as " + w + " through cast");
                    operand = gb.builder.cast(operand, w);
                    t = w;
                }
                outputs.put(e.getKey(), operand);
                readAs.put(e.getKey(), t);
            }
            phase.set("build()");
            graph = join(gb.builder.build(outputs));
            phase.set("creating and writing the input tensors");
            Map<String, MLTensor> in = new HashMap<>();
            for (String name : graph.inputs().keySet()) {
                Feed feed = gb.feeds.get(name);
                MLTensor t = join(ctx.createTensor(new MLTensorDescriptor(feed.descriptor, false, true)));
                tensors.add(t);
                ctx.writeTensor(t, feed.bytes.duplicate());
                in.put(name, t);
            }
            phase.set("creating the output tensors");
            Map<String, MLTensor> out = new LinkedHashMap<>();
            for (var e : outputs.entrySet()) {
                MLOperandDescriptor d = new MLOperandDescriptor(readAs.get(e.getKey()), e.getValue().shape());
                MLTensor t = join(ctx.createTensor(new MLTensorDescriptor(d, true, true)));
                tensors.add(t);
                byte[] fill = new byte[(int) t.type().byteLength()];
                Arrays.fill(fill, SENTINEL);
                ctx.writeTensor(t, fill);
                out.put(e.getKey(), t);
            }
            phase.set("dispatch");
            ctx.dispatch(graph, in, out);
            for (var e : out.entrySet()) {
                phase.set("reading output '" + e.getKey() + "'");
                ByteBuffer actual = join(ctx.readTensor(e.getValue())).order(ByteOrder.LITTLE_ENDIAN);
                phase.set("comparing output '" + e.getKey() + "'");
                JsonNode exp = expected.get(e.getKey());
                MLOperandDataType t = readAs.get(e.getKey());
                int n = e.getValue().type().size();
                Tolerance.Comparison c = test.tolerance().compare(t, actual, exp.get("data"), n);
                o.outputs.add(new OutputCheck(e.getKey(), c, !c.passed() && allSentinel(actual)));
            }
            if (o.outputs.stream().anyMatch(OutputCheck::untouched)) {
                // dispatch() has no failure channel: run the graph once more through the SPI to catch the kernel's exception
                phase.set("dispatch");
                Map<String, ByteBuffer> data = new HashMap<>();
                gb.feeds.forEach((k, v) -> data.put(k, v.bytes));
                Throwable t = DispatchProbe.rerun(ctx.backendName(), ctx.options(), outputs, data);
                if (t != null) {
                    o.error = new DispatchFailure(DispatchProbe.describe(t), t);
                    o.phase = "dispatch";
                }
            }
            return o;
        } catch (Throwable t) {
            o.error = unwrap(t);
            o.phase = phase.get();
            return o;
        } finally {
            for (MLTensor t : tensors) {
                try {
                    t.destroy();
                } catch (RuntimeException ignored) {
                    // the context may be gone
                }
            }
            if (graph != null) {
                try {
                    graph.destroy();
                } catch (RuntimeException ignored) {
                    // as above
                }
            }
        }
    }

    private static boolean allSentinel(ByteBuffer b) {
        for (int i = b.position(); i < b.limit(); i++) if (b.get(i) != SENTINEL) return false;
        return b.hasRemaining();
    }

    /** State of one graph under construction. */
    private final class GraphBuild {
        final WptTest test;
        final MLGraphBuilder builder;
        final JsonNode inputs;
        final List<String> notes;
        final Map<String, MLOperand> intermediates = new HashMap<>();
        final Map<String, MLOperand> declaredInputs = new HashMap<>();
        final Map<String, Feed> feeds = new HashMap<>();

        GraphBuild(WptTest test, MLContext ctx, List<String> notes) {
            this.test = test;
            this.builder = new MLGraphBuilder(ctx);
            this.inputs = test.graph().get("inputs");
            this.notes = notes;
        }

        void operator(JsonNode op) {
            String name = op.get("name").textValue();
            List<Object> args = new ArrayList<>();
            for (JsonNode a : op.get("arguments")) {
                // one positional argument per key, in order (one test writes {scale, zeroPoint} in one object)
                for (var e : a.properties()) {
                    args.add(resolve(e.getKey(), e.getValue()));
                }
            }
            Quirks.OperatorRule rule = quirks.forOperator(name);
            if (rule != null && rule.rule().equals("default-axis-last")) {
                int k = rule.argumentIndex();
                boolean missing = args.size() <= k || args.get(k) instanceof Map<?, ?>;
                if (missing && !args.isEmpty() && args.get(0) instanceof MLOperand in) {
                    args.add(k, in.rank() - 1);
                    notes.add(rule.reason() + " (" + rule.argument() + " = " + (in.rank() - 1) + ")");
                }
            }
            MLOperand[] results = BuilderCalls.call(builder, name, args);
            JsonNode outs = op.get("outputs");
            if (outs.isTextual()) {
                if (results.length != 1) {
                    throw new SchemaException(name + " returned " + results.length + " operands but 'outputs' names one");
                }
                intermediates.put(outs.textValue(), results[0]);
            } else {
                if (results.length != outs.size()) {
                    throw new OutputMismatch(name + " returned " + results.length + " operands, the test names " + outs.size() + " " + outs);
                }
                for (int i = 0; i < results.length; i++) intermediates.put(outs.get(i).textValue(), results[i]);
            }
        }

        /** Resolves one argument value as the harness does. */
        Object resolve(String key, JsonNode v) {
            if (key.equals("options") && v.isObject()) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (var e : v.properties()) {
                    m.put(e.getKey(), namesOperand(e.getValue()) ? operand(e.getValue().textValue()) : plain(e.getValue()));
                }
                return m;
            }
            if (namesOperand(v)) return operand(v.textValue());
            if (v.isArray() && !v.isEmpty()) {
                boolean all = true;
                for (JsonNode x : v) all &= namesOperand(x);
                if (all) {
                    List<Object> ops = new ArrayList<>();
                    for (JsonNode x : v) ops.add(operand(x.textValue()));
                    return ops;
                }
            }
            return plain(v);
        }

        boolean namesOperand(JsonNode v) {
            return v.isTextual() && (inputs.has(v.textValue()) || intermediates.containsKey(v.textValue()));
        }

        MLOperand operand(String name) {
            JsonNode spec = inputs.get(name);
            if (spec == null) return intermediates.get(name);
            boolean constant = spec.path("constant").asBoolean(false);
            if (!constant && declaredInputs.containsKey(name)) return declaredInputs.get(name); // an input name can be declared once
            MLOperandDescriptor d = descriptor(spec.get("descriptor"));
            MLOperandDataType t = d.dataType();
            MLOperandDataType fed = t;
            String kind = constant ? "constant" : "input";
            if (test.castToSupportedType() && !ioSupports(kind, t)) {
                fed = widerSupported(kind, t);
                notes.add("castToSupportedType: " + kind + " '" + name + "' fed as " + fed + " and cast to " + t);
            }
            MLOperandDescriptor fedDesc = new MLOperandDescriptor(fed, d.shape());
            ByteBuffer bytes = ValueCodec.encode(fed, spec.get("data"), elements(d));
            MLOperand op;
            if (constant) {
                op = builder.constant(fedDesc, bytes);
            } else {
                op = builder.input(name, fedDesc);
                feeds.put(name, new Feed(fedDesc, bytes));
            }
            if (fed != t) op = builder.cast(op, t);
            if (!constant) declaredInputs.put(name, op);
            return op;
        }

        boolean ioSupports(String kind, MLOperandDataType t) {
            MLTensorLimits l = switch (kind) {
                case "input" -> limits.input();
                case "constant" -> limits.constant();
                default -> limits.output();
            };
            return l == null || l.dataType().contains(t);
        }

        /** The first wider type that graph I/O of {@code kind} supports and that {@code cast} converts to/from {@code t}. */
        MLOperandDataType widerSupported(String kind, MLOperandDataType t) {
            Map<String, MLTensorLimits> cast = limits.operator("cast");
            for (MLOperandDataType w : widerTypes(t)) {
                if (!ioSupports(kind, w)) continue;
                if (cast != null && cast.containsKey("input") && cast.containsKey("output")) {
                    MLOperandDataType from = kind.equals("output") ? t : w;
                    MLOperandDataType to = kind.equals("output") ? w : t;
                    if (!cast.get("input").dataType().contains(from) || !cast.get("output").dataType().contains(to)) continue;
                }
                return w;
            }
            throw new dev.anneau.webnn.NotSupportedError("castToSupportedType: the context supports neither " + t
                    + " nor a wider type for graph " + kind + "s (tried " + widerTypes(t) + ")");
        }
    }

    /** Wider types that hold every value of {@code t}, narrowest first. */
    static List<MLOperandDataType> widerTypes(MLOperandDataType t) {
        return switch (t) {
            case INT4 -> List.of(MLOperandDataType.INT8, MLOperandDataType.INT32, MLOperandDataType.INT64);
            case UINT4 -> List.of(MLOperandDataType.UINT8, MLOperandDataType.INT8, MLOperandDataType.INT32, MLOperandDataType.UINT32,
                    MLOperandDataType.INT64);
            case INT8 -> List.of(MLOperandDataType.INT32, MLOperandDataType.INT64);
            case UINT8 -> List.of(MLOperandDataType.INT32, MLOperandDataType.UINT32, MLOperandDataType.INT64);
            case FLOAT16 -> List.of(MLOperandDataType.FLOAT32);
            case INT32 -> List.of(MLOperandDataType.INT64);
            case UINT32 -> List.of(MLOperandDataType.UINT64, MLOperandDataType.INT64);
            default -> List.of();
        };
    }

    static MLOperandDescriptor descriptor(JsonNode d) {
        MLOperandDataType t = MLOperandDataType.fromSpecName(d.get("dataType").textValue());
        JsonNode s = d.get("shape");
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).longValue();
        return new MLOperandDescriptor(t, shape);
    }

    static int elements(MLOperandDescriptor d) {
        long n = 1;
        for (long x : d.shape()) {
            if (x <= 0) throw new SchemaException("descriptor " + d + " has a non-positive dimension");
            n = Math.multiplyExact(n, x);
            if (n > Integer.MAX_VALUE) throw new SchemaException("descriptor " + d + " is too large for this runner");
        }
        return (int) n;
    }

    /** A JSON value as the plain Java value {@link BuilderCalls} takes. */
    static Object plain(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return null;
        if (n.isIntegralNumber()) return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        if (n.isNumber()) return n.doubleValue();
        if (n.isTextual()) return n.textValue();
        if (n.isBoolean()) return n.booleanValue();
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonNode x : n) l.add(plain(x));
            return l;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (var e : n.properties()) {
            m.put(e.getKey(), plain(e.getValue()));
        }
        return m;
    }

    /** A kernel error during dispatch, found by {@link DispatchProbe}. */
    static final class DispatchFailure extends RuntimeException {
        DispatchFailure(String message, Throwable cause) { super(message, cause); }
    }

    /** An output operand whose type or shape differs from the expected descriptor. */
    static final class OutputMismatch extends RuntimeException {
        OutputMismatch(String message) { super(message); }
    }

    // ------------------------------------------------------------------ context and errors

    private void ensureContext() {
        if (context != null || contextError != null) return;
        try {
            context = ML.createContextNow(new MLContextOptions().withBackend(requestedBackend));
            limits = limitsView.apply(context.opSupportLimits());
        } catch (RuntimeException e) {
            contextError = describe(e);
        }
    }

    private void dropContext() {
        MLContext c = context;
        context = null;
        limits = null;
        if (c != null) {
            try {
                c.destroy();
            } catch (RuntimeException ignored) {
                // already lost
            }
        }
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw e;
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        return t;
    }

    /** The spec's error name for WebNN errors ({@code TypeError}, {@code NotSupportedError}...), else the class name. */
    public static String errorName(Throwable t) {
        if (t instanceof WebNNException w) return w.errorName();
        if (t instanceof SchemaException) return "SchemaError";
        if (t instanceof OutputMismatch) return "OutputMismatch";
        if (t instanceof TimeoutException) return "Timeout";
        if (t instanceof DispatchFailure) return "OperationError";
        return t.getClass().getSimpleName();
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        if (t instanceof OutputMismatch || t instanceof TimeoutException) return m;
        if (t instanceof SchemaException) return "schema error: " + m;
        if (t instanceof DispatchFailure) return "dispatch failed: " + m;
        return errorName(t) + (m == null ? "" : ": " + m);
    }

    @Override
    public void close() {
        if (worker != null) worker.shutdownNow();
        worker = null;
        dropContext();
    }
}
