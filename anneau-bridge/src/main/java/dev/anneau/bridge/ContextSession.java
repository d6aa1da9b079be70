package dev.anneau.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anneau.conformance.BuilderCalls;
import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOpSupportLimits;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLPowerPreference;
import dev.anneau.webnn.MLTensor;
import dev.anneau.webnn.MLTensorDescriptor;
import dev.anneau.webnn.MLTensorLimits;
import dev.anneau.webnn.OperationError;
import dev.anneau.webnn.TypeError;
import dev.anneau.webnn.WebNNException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server side of one context WebSocket: authenticates, then owns one {@link MLContext} and the
 * tensors and graphs the page created in it. Independent of the transport so that it can be tested
 * and fuzzed directly. {@link #handle} never throws; it is called for one message at a time.
 */
public final class ContextSession implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.anneau.bridge");
    /** Close codes (RFC 6455). */
    public static final int CLOSE_NORMAL = 1000, CLOSE_POLICY = 1008, CLOSE_INTERNAL = 1011;

    /** What to send back, and whether to close the WebSocket afterwards. */
    public record Reply(ByteBuffer message, int closeCode, String closeReason) {
        public boolean close() { return closeCode != 0; }
    }

    private record TensorEntry(MLTensor tensor, long bytes) {}

    private record GraphEntry(MLGraph graph, long bytes) {}

    private final String origin;
    private final PairingStore store;
    private final Quotas quotas;
    private final Limits limits;
    private final ObjectMapper mapper;
    private volatile boolean authenticated;
    private volatile String token;
    private MLContext context;
    private MLTensor marker;
    private final Map<Long, TensorEntry> tensors = new HashMap<>();
    private final Map<Long, GraphEntry> graphs = new HashMap<>();
    private boolean closed;
    private int protocolErrors;

    /**
     * Opens a session for {@code origin}, taking one of its context slots (429 when none is left);
     * {@link #close} gives it back.
     */
    public static ContextSession open(String origin, PairingStore store, Quotas quotas, Limits limits, ObjectMapper mapper,
                                      boolean preAuthenticated) throws ProtocolException {
        quotas.acquireContext(origin);
        return new ContextSession(origin, store, quotas, limits, mapper, preAuthenticated);
    }

    private ContextSession(String origin, PairingStore store, Quotas quotas, Limits limits, ObjectMapper mapper, boolean preAuthenticated) {
        this.origin = origin;
        this.store = store;
        this.quotas = quotas;
        this.limits = limits;
        this.mapper = mapper;
        this.authenticated = preAuthenticated;
    }

    public boolean authenticated() { return authenticated; }

    /**
     * False once the origin was revoked or re-approved after this session authenticated (the endpoint
     * checks it periodically and closes the socket). Sessions authenticated by header re-check nothing here.
     */
    public boolean stillAuthorized() {
        String t = token;
        return t == null || store.checkToken(origin, t);
    }

    public synchronized Reply handleBinary(ByteBuffer message) {
        Frames.Frame f;
        try {
            f = Frames.decode(message, mapper, limits.maxHeaderJsonBytes());
        } catch (ProtocolException e) {
            return protocolFailure(null, e);
        }
        return handle(f);
    }

    public synchronized Reply handleText(String message) {
        Frames.Frame f;
        try {
            f = Frames.decodeText(message, mapper, limits.maxHeaderJsonBytes());
        } catch (ProtocolException e) {
            return protocolFailure(null, e);
        }
        return handle(f);
    }

    private Reply protocolFailure(Long id, ProtocolException e) {
        protocolErrors++;
        if (!authenticated) return error(id, e.errorName(), e.getMessage(), e.status(), CLOSE_POLICY, "authenticate first");
        if (protocolErrors > 100) return error(id, e.errorName(), e.getMessage(), e.status(), CLOSE_POLICY, "too many protocol errors");
        return error(id, e.errorName(), e.getMessage(), e.status(), 0, null);
    }

    private Reply handle(Frames.Frame f) {
        Long id = f.idOrNull();
        if (closed) return error(id, "InvalidStateError", "the context has been destroyed", 0, CLOSE_NORMAL, "destroyed");
        Requests.Request r;
        try {
            r = Requests.parse(f, limits);
        } catch (ProtocolException e) {
            return protocolFailure(id, e);
        }
        if (!authenticated && !(r instanceof Requests.Hello)) {
            return error(id, "SecurityError", "the first message must be 'hello' with the origin's token", 401, CLOSE_POLICY, "not authenticated");
        }
        try {
            return switch (r) {
                case Requests.Hello h -> hello(id, h);
                case Requests.CreateContext c -> createContext(id, c);
                case Requests.OpSupportLimits o -> ok(id, limitsJson(requireContext().opSupportLimits()));
                case Requests.CreateTensor c -> createTensor(id, c);
                case Requests.WriteTensor w -> {
                    TensorEntry t = tensor(w.tensor());
                    requireContext().writeTensor(t.tensor(), w.data());
                    yield ok(id, null);
                }
                case Requests.ReadTensor rt -> readTensor(id, rt);
                case Requests.Build b -> build(id, b);
                case Requests.Dispatch d -> dispatch(id, d);
                case Requests.Destroy d -> destroy(id, d);
            };
        } catch (ProtocolException e) {
            return protocolFailure(id, e);
        } catch (WebNNException e) {
            return error(id, e.errorName(), e.getMessage(), 0, 0, null);
        } catch (Deadline e) {
            LOG.log(System.Logger.Level.WARNING, "context of " + origin + " lost: " + e.getMessage());
            close();
            return error(id, "OperationError", e.getMessage() + "; the context was lost", 0, CLOSE_INTERNAL, "deadline exceeded");
        } catch (OutOfMemoryError e) {
            close();
            return error(id, "OperationError", "the service ran out of memory; the context was lost", 0, CLOSE_INTERNAL, "out of memory");
        } catch (RuntimeException e) {
            // a bug, not the page's fault: log the kind, answer without internals
            LOG.log(System.Logger.Level.WARNING, "internal error handling '" + f.header().path("type").asText() + "' for "
                    + origin + ": " + e.getClass().getName());
            return error(id, "OperationError", "internal error in the service", 0, 0, null);
        }
    }

    /** A dispatch, read or build that ran past the deadline. */
    private static final class Deadline extends Exception {
        Deadline(String m) { super(m, null, false, false); }
    }

    // ------------------------------------------------------------------ messages

    private Reply hello(Long id, Requests.Hello h) {
        if (authenticated) return error(id, "InvalidStateError", "already authenticated", 0, 0, null);
        if (h.protocol() != Frames.PROTOCOL_VERSION) {
            return error(id, "NotSupportedError", "protocol version " + h.protocol() + " is not supported; this service speaks "
                    + Frames.PROTOCOL_VERSION, 0, CLOSE_POLICY, "protocol version");
        }
        if (!store.checkToken(origin, h.token())) {
            LOG.log(System.Logger.Level.INFO, "refused a context for " + origin + ": bad or revoked token");
            return error(id, "SecurityError", "the token is not valid for this origin; pair again", 401, CLOSE_POLICY, "bad token");
        }
        authenticated = true;
        token = h.token();
        ObjectNode o = mapper.createObjectNode();
        o.put("protocol", Frames.PROTOCOL_VERSION);
        o.set("limits", serviceLimits());
        return ok(id, o);
    }

    private Reply createContext(Long id, Requests.CreateContext c) {
        if (context != null) return error(id, "InvalidStateError", "this WebSocket already has a context; open another for a second one", 0, 0, null);
        MLPowerPreference pp = c.powerPreference() == null ? MLPowerPreference.DEFAULT : MLPowerPreference.fromSpecName(c.powerPreference());
        MLContext ctx = ML.createContextNow(new MLContextOptions(pp, c.accelerated()));
        context = ctx;
        try {
            marker = join(ctx.createTensor(new MLTensorDescriptor(MLOperandDataType.UINT8, new long[] {1}, true, false)), "createContext");
        } catch (Deadline d) {
            throw new OperationError(d.getMessage());
        }
        ObjectNode o = mapper.createObjectNode();
        o.put("accelerated", ctx.accelerated());
        o.put("backend", ctx.backendName());
        return ok(id, o);
    }

    private Reply createTensor(Long id, Requests.CreateTensor c) throws ProtocolException, Deadline {
        MLContext ctx = requireContext();
        if (tensors.containsKey(c.tensor())) throw new ProtocolException("tensor id " + c.tensor() + " is already in use");
        quotas.acquireTensor(origin, c.desc().byteLength());
        try {
            MLTensor t;
            if (c.constantData() != null) {
                t = join(ctx.createConstantTensor(new MLOperandDescriptor(c.desc().dataType(), c.desc().shape()), c.constantData()), "createTensor");
            } else {
                t = join(ctx.createTensor(new MLTensorDescriptor(c.desc().dataType(), c.desc().shape(), c.readable(), c.writable())), "createTensor");
            }
            tensors.put(c.tensor(), new TensorEntry(t, c.desc().byteLength()));
        } catch (RuntimeException | Deadline e) {
            quotas.releaseTensor(origin, c.desc().byteLength());
            throw e;
        }
        return ok(id, null);
    }

    private Reply readTensor(Long id, Requests.ReadTensor r) throws ProtocolException, Deadline {
        TensorEntry t = tensor(r.tensor());
        ByteBuffer data = join(requireContext().readTensor(t.tensor()), "readTensor");
        ObjectNode h = header(id);
        h.put("ok", true);
        h.put("byteLength", data.remaining());
        return new Reply(Frames.encode(h, data, mapper), 0, null);
    }

    private Reply build(Long id, Requests.Build b) throws ProtocolException, Deadline {
        MLContext ctx = requireContext();
        if (graphs.containsKey(b.graph())) throw new ProtocolException("graph id " + b.graph() + " is already in use");
        quotas.acquireGraph(origin, b.constantBytes());
        boolean kept = false;
        try {
            MLGraphBuilder builder = new MLGraphBuilder(ctx);
            Map<Long, MLOperand> operands = new HashMap<>();
            for (Requests.InputDecl in : b.inputs()) {
                operands.put(in.operand(), builder.input(in.name(), new MLOperandDescriptor(in.desc().dataType(), in.desc().shape())));
            }
            for (Requests.ConstantDecl c : b.constants()) {
                MLOperand o;
                if (c.tensor() != null) {
                    o = builder.constant(tensor(c.tensor()).tensor());
                } else {
                    o = builder.constant(new MLOperandDescriptor(c.desc().dataType(), c.desc().shape()), c.data());
                }
                operands.put(c.operand(), o);
            }
            int index = 0;
            for (Requests.OpDecl op : b.ops()) {
                List<Object> args = new ArrayList<>();
                for (JsonNode a : op.args()) args.add(value(a, operands));
                MLOperand[] out;
                try {
                    out = BuilderCalls.call(builder, op.op(), args);
                } catch (WebNNException e) {
                    throw rename(e, "ops[" + index + "] " + Requests.clip(op.op()) + ": " + e.getMessage());
                }
                if (out.length != op.outputs().length) {
                    throw new TypeError("ops[" + index + "] " + op.op() + " produced " + out.length + " outputs; 'outputs' lists "
                            + op.outputs().length);
                }
                for (int i = 0; i < out.length; i++) operands.put(op.outputs()[i], out[i]);
                index++;
            }
            Map<String, MLOperand> outputs = new LinkedHashMap<>();
            for (var e : b.outputs().entrySet()) outputs.put(e.getKey(), operands.get(e.getValue()));
            MLGraph g = join(builder.build(outputs), "build");
            graphs.put(b.graph(), new GraphEntry(g, b.constantBytes()));
            kept = true;
            return ok(id, null);
        } finally {
            if (!kept) quotas.releaseGraph(origin, b.constantBytes());
        }
    }

    private Reply dispatch(Long id, Requests.Dispatch d) throws ProtocolException, Deadline {
        MLContext ctx = requireContext();
        GraphEntry g = graphs.get(d.graph());
        if (g == null) throw new TypeError("dispatch: unknown graph id " + d.graph());
        Map<String, MLTensor> in = new HashMap<>(), out = new HashMap<>();
        for (var e : d.inputs().entrySet()) in.put(e.getKey(), tensor(e.getValue()).tensor());
        for (var e : d.outputs().entrySet()) out.put(e.getKey(), tensor(e.getValue()).tensor());
        ctx.dispatch(g.graph(), in, out);
        // the context timeline runs in order: once a read queued after the dispatch completes, the dispatch has finished
        join(ctx.readTensor(marker), "dispatch", limits.dispatchDeadline());
        return ok(id, null);
    }

    private Reply destroy(Long id, Requests.Destroy d) throws ProtocolException {
        if (d.tensor() != null) {
            TensorEntry t = tensors.remove(d.tensor());
            if (t == null) throw new TypeError("destroy: unknown tensor id " + d.tensor());
            t.tensor().destroy();
            quotas.releaseTensor(origin, t.bytes());
            return ok(id, null);
        }
        if (d.graph() != null) {
            GraphEntry g = graphs.remove(d.graph());
            if (g == null) throw new TypeError("destroy: unknown graph id " + d.graph());
            g.graph().destroy();
            quotas.releaseGraph(origin, g.bytes());
            return ok(id, null);
        }
        close();
        ObjectNode h = header(id);
        h.put("ok", true);
        return new Reply(Frames.encode(h, null, mapper), CLOSE_NORMAL, "context destroyed");
    }

    // ------------------------------------------------------------------ helpers

    private MLContext requireContext() throws ProtocolException {
        if (context == null) throw new ProtocolException("InvalidStateError", 400, "send 'createContext' first");
        return context;
    }

    private TensorEntry tensor(long id) {
        TensorEntry t = tensors.get(id);
        if (t == null) throw new TypeError("unknown tensor id " + id);
        return t;
    }

    /** Waits for timeline work other than a dispatch: at least 30 s, or the dispatch deadline when longer. */
    private <T> T join(CompletableFuture<T> f, String what) throws Deadline {
        Duration d = limits.dispatchDeadline();
        return join(f, what, d.compareTo(Duration.ofSeconds(30)) > 0 ? d : Duration.ofSeconds(30));
    }

    private <T> T join(CompletableFuture<T> f, String what, Duration deadline) throws Deadline {
        try {
            return f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new Deadline(what + " did not finish within " + deadline.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Deadline(what + " was interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new OperationError(what + " failed");
        }
    }

    private static WebNNException rename(WebNNException e, String message) {
        return switch (e.errorName()) {
            case "TypeError" -> new TypeError(message);
            case "NotSupportedError" -> new dev.anneau.webnn.NotSupportedError(message);
            case "InvalidStateError" -> new dev.anneau.webnn.InvalidStateError(message);
            case "DataError" -> new dev.anneau.webnn.DataError(message);
            default -> new OperationError(message);
        };
    }

    /** JSON argument to the plain Java values {@link BuilderCalls} takes; {"$operand": id} becomes the operand. */
    private static Object value(JsonNode v, Map<Long, MLOperand> operands) {
        if (v == null || v.isNull()) return null;
        if (v.isBoolean()) return v.booleanValue();
        if (v.isInt()) return v.intValue();
        if (v.isLong()) return v.longValue();
        if (v.isBigInteger()) return v.bigIntegerValue();
        if (v.isNumber()) return v.doubleValue();
        if (v.isTextual()) return v.textValue();
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonNode c : v) l.add(value(c, operands));
            return l;
        }
        JsonNode ref = v.get("$operand");
        if (ref != null) return operands.get(ref.longValue()); // defined: Requests.parse checked the order
        Map<String, Object> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            var e = it.next();
            m.put(e.getKey(), value(e.getValue(), operands));
        }
        return m;
    }

    private ObjectNode serviceLimits() {
        ObjectNode l = mapper.createObjectNode();
        l.put("maxMessageBytes", limits.maxMessageBytes());
        l.put("maxTensorBytes", limits.maxTensorBytes());
        l.put("maxTensorElements", limits.maxTensorElements());
        l.put("maxRank", limits.maxRank());
        l.put("maxResidentBytesPerOrigin", limits.maxResidentBytesPerOrigin());
        l.put("maxTensorsPerOrigin", limits.maxTensorsPerOrigin());
        l.put("maxGraphsPerOrigin", limits.maxGraphsPerOrigin());
        l.put("maxOpsPerGraph", limits.maxOpsPerGraph());
        l.put("dispatchDeadlineMs", limits.dispatchDeadline().toMillis());
        return l;
    }

    private ObjectNode limitsJson(MLOpSupportLimits s) {
        ObjectNode o = mapper.createObjectNode();
        o.put("preferredInputLayout", s.preferredInputLayout());
        o.put("maxTensorByteLength", Math.min(s.maxTensorByteLength(), limits.maxTensorBytes()));
        o.set("input", tensorLimits(s.input()));
        o.set("constant", tensorLimits(s.constant()));
        o.set("output", tensorLimits(s.output()));
        ObjectNode ops = o.putObject("operators");
        new java.util.TreeMap<>(s.operators()).forEach((name, operands) -> {
            ObjectNode on = ops.putObject(name);
            new java.util.TreeMap<>(operands).forEach((operand, tl) -> on.set(operand, tensorLimits(tl)));
        });
        ObjectNode h = mapper.createObjectNode();
        h.set("limits", o);
        return h;
    }

    private ObjectNode tensorLimits(MLTensorLimits t) {
        ObjectNode o = mapper.createObjectNode();
        if (t == null) return o;
        ArrayNode types = o.putArray("dataTypes");
        t.dataType().stream().map(MLOperandDataType::specName).sorted().forEach(types::add);
        ObjectNode r = o.putObject("rankRange");
        r.put("min", t.rankRange().min());
        r.put("max", t.rankRange().max());
        return o;
    }

    private ObjectNode header(Long id) {
        ObjectNode h = mapper.createObjectNode();
        if (id == null) h.putNull("id");
        else h.put("id", id);
        return h;
    }

    private Reply ok(Long id, ObjectNode fields) {
        ObjectNode h = header(id);
        h.put("ok", true);
        if (fields != null) h.setAll(fields);
        return new Reply(Frames.encode(h, null, mapper), 0, null);
    }

    private Reply error(Long id, String name, String message, int status, int closeCode, String closeReason) {
        ObjectNode h = header(id);
        h.put("ok", false);
        ObjectNode e = h.putObject("error");
        e.put("name", name);
        e.put("message", message == null ? name : message);
        if (status != 0) e.put("status", status);
        return new Reply(Frames.encode(h, null, mapper), closeCode, closeReason);
    }

    /** Destroys everything this session created and gives back its quota. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (TensorEntry t : tensors.values()) {
            t.tensor().destroy();
            quotas.releaseTensor(origin, t.bytes());
        }
        tensors.clear();
        for (GraphEntry g : graphs.values()) {
            g.graph().destroy();
            quotas.releaseGraph(origin, g.bytes());
        }
        graphs.clear();
        MLContext ctx = context;
        context = null;
        if (ctx != null) {
            ctx.destroy();
            // the slot is free once the timeline has drained (a runaway dispatch keeps it taken)
            ctx.lost().whenComplete((info, err) -> quotas.releaseContext(origin));
        } else {
            quotas.releaseContext(origin);
        }
    }
}
