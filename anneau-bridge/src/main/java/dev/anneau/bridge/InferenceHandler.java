package dev.anneau.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anneau.onnx.OnnxTensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The inference endpoint for programs: a subset of the Open Inference Protocol v2 REST API
 * ({@code GET /v2/health/live}, {@code /v2/health/ready}, {@code /v2}, {@code /v2/models/NAME[/versions/1]},
 * {@code /v2/models/NAME[/versions/1]/ready}, {@code POST /v2/models/NAME[/versions/1]/infer} with JSON tensors
 * and the binary tensor data extension) over the models of a {@link ModelRepository}. Other paths go on to
 * the wrapped handler.
 *
 * <p>The {@link SecurityGate} has already checked the Host header (DNS rebinding) when a request gets
 * here. This handler then applies the gate's rules to its own endpoints: at most one Origin, which must be
 * a paired origin; browsers only through CORS (Fetch Metadata); and a bearer token on everything but the
 * health checks: the paired origin's token when the request has an Origin (a page), else the service's
 * local token ({@link LocalToken}, for programs). Bodies, tensor element counts, ranks and byte lengths are
 * checked before allocation; runs have the dispatch deadline. Errors are {@code {"error": "..."}}.
 */
public final class InferenceHandler extends Handler.Wrapper {
    private static final System.Logger LOG = System.getLogger("dev.anneau.bridge");
    public static final String PREFIX = "/v2";
    /** Header of the binary tensor data extension: the JSON part's length. */
    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    /** Inference requests holding a body or running at once (more wait, up to the deadline). */
    static final int MAX_IN_FLIGHT = 8;
    /** The JSON part of a request (tensor data given as JSON numbers; use binary data for big tensors). */
    static final int MAX_JSON_BYTES = 16 * 1024 * 1024;

    private final PairingStore store;
    private final Path stateDir;
    private final ModelRepository models;
    private final Limits limits;
    private final ObjectMapper mapper;
    private final OipCodec codec;
    private final long maxBodyBytes;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT, true);
    private volatile boolean stopping;
    private volatile TokenFile token;
    private volatile long tokenCheckedAt;

    /** The local token as last read, with what identifies the file's version. */
    private record TokenFile(LocalToken token, Object fileKey, long modified, long size) {}

    public InferenceHandler(PairingStore store, ModelRepository models, Limits limits, ObjectMapper mapper, Handler next) {
        super(next);
        this.store = store;
        this.stateDir = store.file().getParent();
        this.models = models;
        this.limits = limits;
        this.mapper = mapper;
        this.maxBodyBytes = Math.min(limits.maxMessageBytes(), Integer.MAX_VALUE - 64);
        this.codec = new OipCodec(limits, (int) Math.min(MAX_JSON_BYTES, maxBodyBytes));
        this.token = readToken();
        this.tokenCheckedAt = System.nanoTime();
    }

    public static boolean owns(String path) { return path.equals(PREFIX) || path.startsWith(PREFIX + "/"); }

    public ModelRepository models() { return models; }

    /** The local token clients send (created at the first start). */
    public String localToken() { return currentToken().value(); }

    /** Readiness turns false (requests in flight still finish). */
    void stopping() { stopping = true; }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!owns(path)) return super.handle(request, response, callback);
        HttpFields headers = request.getHeaders();
        HttpFields.Mutable out = response.getHeaders();
        out.add(HttpHeader.VARY, "Origin");
        out.put(HttpHeader.CACHE_CONTROL, "no-store");
        out.put("X-Content-Type-Options", "nosniff");

        // Origin: at most one, well formed, paired (a page); none: a program
        List<HttpField> origins = headers.getFields(HttpHeader.ORIGIN);
        if (origins.size() > 1) return error(response, callback, 403, "more than one Origin header", null);
        String rawOrigin = origins.isEmpty() ? null : origins.getFirst().getValue();
        String origin = PairingStore.canonicalOrigin(rawOrigin);
        if (rawOrigin != null && origin == null) return error(response, callback, 403, "the Origin is not allowed", null);
        if (origin != null && !store.isApproved(origin)) return error(response, callback, 403, "this origin is not paired", null);
        if (!corsOrSameOrigin(headers)) {
            return error(response, callback, 403, "browser requests to the inference endpoint must be CORS requests", null);
        }
        String method = request.getMethod();
        if (method.equals("OPTIONS")) return preflight(request, response, callback, origin);

        Route route = route(path);
        if (route == null) return error(response, callback, 404, "no such endpoint; see GET /v2 and /v2/models/NAME", null);
        if (route.kind == Kind.LIVE || route.kind == Kind.READY) {
            if (!method.equals("GET") && !method.equals("HEAD")) return methodNotAllowed(response, callback, "GET, HEAD", origin);
            boolean ok = route.kind == Kind.LIVE || (!stopping && models.ready());
            if (origin != null) allowOrigin(response, origin);
            response.setStatus(ok ? 200 : 400);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
            callback.succeeded();
            return true;
        }

        // everything else needs the token
        List<HttpField> auths = headers.getFields(HttpHeader.AUTHORIZATION);
        String presented = auths.size() == 1 ? SecurityGate.bearer(auths.getFirst().getValue()) : null;
        boolean authorized = origin != null ? presented != null && store.checkToken(origin, presented)
                : presented != null && currentToken().matches(presented);
        if (!authorized) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"anneau\"");
            return error(response, callback, 401, origin != null ? "send the origin's token as Authorization: Bearer"
                    : "send the service's local token as Authorization: Bearer (print it with 'anneau pair token')", null);
        }
        if (origin != null) {
            allowOrigin(response, origin);
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, HEADER_LENGTH);
        }
        ModelRepository.Model model = null;
        if (route.model != null) {
            model = models.get(route.model);
            if (model == null) return error(response, callback, 404, "unknown model '" + OipCodec.clip(route.model) + "'", origin);
            if (route.version != null && !route.version.equals(model.version())) {
                return error(response, callback, 404, "model '" + model.name() + "' has no version '" + OipCodec.clip(route.version)
                        + "'; its only version is " + model.version(), origin);
            }
        }
        switch (route.kind) {
            case SERVER -> {
                if (!method.equals("GET")) return methodNotAllowed(response, callback, "GET", origin);
                ObjectNode o = mapper.createObjectNode();
                o.put("name", "anneau");
                o.put("version", Objects.requireNonNullElse(InferenceHandler.class.getPackage().getImplementationVersion(), "dev"));
                o.putArray("extensions").add("binary_tensor_data");
                return json(response, callback, 200, o);
            }
            case MODEL -> {
                if (!method.equals("GET")) return methodNotAllowed(response, callback, "GET", origin);
                return json(response, callback, 200, metadata(model));
            }
            case MODEL_READY -> {
                if (!method.equals("GET") && !method.equals("HEAD")) return methodNotAllowed(response, callback, "GET, HEAD", origin);
                response.setStatus(model.ready() && !stopping ? 200 : 400);
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
                callback.succeeded();
                return true;
            }
            case INFER -> {
                if (!method.equals("POST")) return methodNotAllowed(response, callback, "POST", origin);
                ModelRepository.Model m = model;
                String o = origin;
                // blocking work (body, run) on a virtual thread of its own
                Thread.ofVirtual().name("anneau-infer").start(() -> infer(request, response, callback, m, o));
                return true;
            }
            default -> {
                return error(response, callback, 404, "no such endpoint", origin);
            }
        }
    }

    // ------------------------------------------------------------------ inference

    private void infer(Request request, Response response, Callback callback, ModelRepository.Model model, String origin) {
        boolean permit = false;
        try {
            HttpFields h = request.getHeaders();
            String encoding = h.get(HttpHeader.CONTENT_ENCODING);
            if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
                throw new InferenceError(415, "Content-Encoding '" + OipCodec.clip(encoding) + "' is not supported; send the body uncompressed");
            }
            long declared = request.getLength();
            if (declared > maxBodyBytes) throw new InferenceError(413, "request body of " + declared + " bytes exceeds the limit of " + maxBodyBytes);
            List<HttpField> lengths = h.getFields(HEADER_LENGTH);
            if (lengths.size() > 1) throw InferenceError.badRequest("more than one " + HEADER_LENGTH + " header");
            Long jsonLength = null;
            if (lengths.size() == 1) {
                String v = lengths.getFirst().getValue().trim();
                if (!v.matches("[0-9]{1,10}")) throw InferenceError.badRequest(HEADER_LENGTH + " must be a non-negative integer");
                jsonLength = Long.parseLong(v);
            }
            try {
                permit = inFlight.tryAcquire(limits.dispatchDeadline().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!permit) throw new InferenceError(429, "too many inference requests in flight (" + MAX_IN_FLIGHT + "); retry later");
            byte[] body = readBody(request, declared);
            int json = jsonLength == null ? body.length : (int) Math.min(jsonLength, Integer.MAX_VALUE);
            if (jsonLength != null && jsonLength > body.length) {
                throw InferenceError.badRequest(HEADER_LENGTH + " is " + jsonLength + " but the body has " + body.length + " bytes");
            }
            if (json > MAX_JSON_BYTES) {
                throw new InferenceError(413, "the JSON part of " + json + " bytes exceeds the limit of " + MAX_JSON_BYTES
                        + "; send large tensors as binary data (binary_data_size)");
            }
            OipCodec.Request req = codec.parse(body, json);
            Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
            for (OipCodec.Input in : req.inputs()) inputs.put(in.name(), in.tensor());
            List<OipCodec.Output> wanted = req.outputs();
            if (wanted != null) {
                for (OipCodec.Output o : wanted) {
                    if (model.outputs().stream().noneMatch(t -> t.name().equals(o.name()))) {
                        throw InferenceError.badRequest("'" + OipCodec.clip(o.name()) + "' is not an output of model '" + model.name()
                                + "'; its outputs are " + model.outputs().stream().map(ModelRepository.TensorInfo::name).toList());
                    }
                }
            }
            Map<String, OnnxTensor> result = model.infer(inputs, limits.dispatchDeadline());
            body = null; // the inputs may go now
            List<OipCodec.Result> results = new ArrayList<>();
            if (wanted == null) {
                for (var e : result.entrySet()) results.add(new OipCodec.Result(e.getKey(), e.getValue(), req.binaryDataOutput()));
            } else {
                for (OipCodec.Output o : wanted) {
                    results.add(new OipCodec.Result(o.name(), result.get(o.name()), o.binary() != null ? o.binary() : req.binaryDataOutput()));
                }
            }
            OipCodec.Response r = codec.encode(model.name(), model.version(), req.id(), results);
            send(response, callback, r);
        } catch (InferenceError e) {
            error(response, callback, e.status(), e.getMessage(), origin);
        } catch (IOException e) {
            // the client went away or sent a broken body; nothing useful to answer
            error(response, callback, 400, "could not read the request body", origin);
        } catch (OutOfMemoryError e) {
            error(response, callback, 503, "the service ran out of memory for this request", origin);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "internal error in an inference request: " + e.getClass().getName());
            error(response, callback, 500, "internal error in the service", origin);
        } finally {
            if (permit) inFlight.release();
        }
    }

    private byte[] readBody(Request request, long declared) throws IOException, InferenceError {
        try (InputStream in = Request.asInputStream(request)) {
            if (declared >= 0) {
                byte[] b = in.readNBytes((int) declared);
                if (b.length != declared) throw InferenceError.badRequest("the body ended after " + b.length + " of " + declared + " bytes");
                return b;
            }
            // chunked: read at most the limit (+1 to tell that it was passed)
            byte[] b = in.readNBytes((int) Math.min(maxBodyBytes + 1, Integer.MAX_VALUE - 8));
            if (b.length > maxBodyBytes) throw new InferenceError(413, "request body exceeds the limit of " + maxBodyBytes + " bytes");
            return b;
        }
    }

    private void send(Response response, Callback callback, OipCodec.Response r) {
        response.setStatus(200);
        HttpFields.Mutable h = response.getHeaders();
        if (r.binary().isEmpty()) {
            h.put(HttpHeader.CONTENT_TYPE, "application/json");
            h.put(HttpHeader.CONTENT_LENGTH, r.json().length);
            response.write(true, ByteBuffer.wrap(r.json()), callback);
            return;
        }
        long total = r.json().length + r.binaryLength();
        h.put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        h.put(HEADER_LENGTH, r.json().length);
        h.put(HttpHeader.CONTENT_LENGTH, total);
        // JSON first, then each output's bytes; each write starts when the previous one completed
        List<ByteBuffer> parts = new ArrayList<>();
        parts.add(ByteBuffer.wrap(r.json()));
        parts.addAll(r.binary());
        writeParts(response, parts, 0, callback);
    }

    private static void writeParts(Response response, List<ByteBuffer> parts, int i, Callback done) {
        boolean last = i == parts.size() - 1;
        response.write(last, parts.get(i), last ? done : Callback.from(() -> writeParts(response, parts, i + 1, done), done::failed));
    }

    // ------------------------------------------------------------------ metadata, routes, helpers

    private ObjectNode metadata(ModelRepository.Model m) {
        ObjectNode o = mapper.createObjectNode();
        o.put("name", m.name());
        o.putArray("versions").add(m.version());
        o.put("platform", "onnx");
        tensors(o.putArray("inputs"), m.inputs());
        tensors(o.putArray("outputs"), m.outputs());
        return o;
    }

    private static void tensors(ArrayNode a, List<ModelRepository.TensorInfo> infos) {
        for (ModelRepository.TensorInfo t : infos) {
            ObjectNode n = a.addObject();
            n.put("name", t.name());
            n.put("datatype", OipCodec.datatype(t.type()));
            ArrayNode s = n.putArray("shape");
            // an unknown rank is shown as one free dimension, as OIP has no way to say "any rank"
            for (long d : t.shape() == null ? new long[] {-1} : t.shape()) s.add(d);
        }
    }

    enum Kind { LIVE, READY, SERVER, MODEL, MODEL_READY, INFER }

    record Route(Kind kind, String model, String version) {}

    /** The route of a {@code /v2} path, or null. */
    static Route route(String path) {
        if (path.equals("/v2") || path.equals("/v2/")) return new Route(Kind.SERVER, null, null);
        if (path.equals("/v2/health/live")) return new Route(Kind.LIVE, null, null);
        if (path.equals("/v2/health/ready")) return new Route(Kind.READY, null, null);
        if (!path.startsWith("/v2/models/")) return null;
        String[] s = path.substring("/v2/models/".length()).split("/", -1);
        if (s.length == 0 || s[0].isEmpty()) return null;
        String model = s[0], version = null;
        int i = 1;
        if (s.length >= 3 && s[1].equals("versions")) {
            version = s[2];
            if (version.isEmpty()) return null;
            i = 3;
        }
        if (s.length == i) return new Route(Kind.MODEL, model, version);
        if (s.length == i + 1 && s[i].equals("ready")) return new Route(Kind.MODEL_READY, model, version);
        if (s.length == i + 1 && s[i].equals("infer")) return new Route(Kind.INFER, model, version);
        return null;
    }

    /**
     * Fetch Metadata: a browser request from another site (or another port) must be a CORS request; user
     * navigations and same-origin requests pass, and so do programs, which send no such headers.
     */
    static boolean corsOrSameOrigin(HttpFields headers) {
        String site = headers.get("Sec-Fetch-Site");
        if (site == null) return true;
        site = site.trim().toLowerCase(Locale.ROOT);
        if (site.equals("none") || site.equals("same-origin")) return true;
        String mode = headers.get("Sec-Fetch-Mode");
        return mode != null && mode.trim().equalsIgnoreCase("cors");
    }

    private boolean preflight(Request request, Response response, Callback callback, String origin) {
        if (origin == null) return error(response, callback, 403, "a preflight needs a paired Origin", null);
        HttpFields h = request.getHeaders();
        String want = h.get(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD);
        if (want != null && !want.equals("GET") && !want.equals("POST") && !want.equals("HEAD")) {
            return error(response, callback, 403, "method not allowed", null);
        }
        allowOrigin(response, origin);
        HttpFields.Mutable o = response.getHeaders();
        o.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, POST");
        o.put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "authorization, content-type, " + HEADER_LENGTH.toLowerCase(Locale.ROOT));
        o.put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, HEADER_LENGTH);
        o.put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");
        if ("true".equalsIgnoreCase(h.get("Access-Control-Request-Private-Network"))) o.put("Access-Control-Allow-Private-Network", "true");
        if ("true".equalsIgnoreCase(h.get("Access-Control-Request-Local-Network"))) o.put("Access-Control-Allow-Local-Network", "true");
        response.setStatus(204);
        callback.succeeded();
        return true;
    }

    private static void allowOrigin(Response response, String origin) {
        // the exact paired origin, never "*", no credentials
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }

    private boolean methodNotAllowed(Response response, Callback callback, String allow, String origin) {
        response.getHeaders().put(HttpHeader.ALLOW, allow);
        return error(response, callback, 405, "method not allowed; use " + allow, origin);
    }

    private boolean json(Response response, Callback callback, int status, ObjectNode body) {
        byte[] b;
        try {
            b = mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            b = "{}".getBytes(StandardCharsets.UTF_8);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
        response.write(true, ByteBuffer.wrap(b), callback);
        return true;
    }

    /**
     * An OIP error body. {@code origin} (a paired, authenticated page) may read it; refusals before
     * authentication carry no CORS headers, so a foreign page learns nothing.
     */
    private boolean error(Response response, Callback callback, int status, String message, String origin) {
        HttpFields.Mutable h = response.getHeaders();
        if (origin == null) h.remove(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN);
        h.remove(HEADER_LENGTH);
        ObjectNode o = mapper.createObjectNode();
        o.put("error", message);
        return json(response, callback, status, o);
    }

    // ------------------------------------------------------------------ the local token

    /** The local token, re-read when the file changed (rotation takes effect within a second). */
    private LocalToken currentToken() {
        long now = System.nanoTime();
        if (now - tokenCheckedAt < 1_000_000_000L) return token.token();
        tokenCheckedAt = now;
        TokenFile t = token;
        try {
            BasicFileAttributes a = Files.readAttributes(t.token().file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (Objects.equals(a.fileKey(), t.fileKey()) && a.lastModifiedTime().toMillis() == t.modified() && a.size() == t.size()) {
                return t.token();
            }
        } catch (IOException e) {
            // gone: a fresh one is created below
        }
        token = readToken();
        return token.token();
    }

    private TokenFile readToken() {
        LocalToken t = LocalToken.loadOrCreate(stateDir);
        try {
            BasicFileAttributes a = Files.readAttributes(t.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return new TokenFile(t, a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
        } catch (IOException e) {
            return new TokenFile(t, null, -1, -1);
        }
    }
}
