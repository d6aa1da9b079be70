package dev.anneau.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first handler of the chain: every request passes the Host allow-list (against DNS rebinding),
 * the Origin rules (paired origins only, except a pairing request) and the size rules before anything
 * else sees it. It also answers CORS and Private/Local Network Access preflights, and the small
 * HTTP endpoints; WebSocket upgrades that pass go on to the wrapped handler.
 *
 * <p>Endpoints: {@code GET /health} (no Origin, or a paired one), {@code GET /v1/info} (paired origin
 * + {@code Authorization: Bearer}), WebSocket {@code /v1/pair} (any web origin may ask), WebSocket
 * {@code /v1/context} (paired origin; token in the first message or the Authorization header).
 * Browser requests to these endpoints must be CORS or WebSocket requests: a cross-site or same-site
 * {@code no-cors} request, form post or navigation (told by the Fetch Metadata headers) is refused before
 * routing. Static, public files: the JavaScript client ({@code GET /client/NAME.js}, any web origin may load
 * it) and the demo page ({@code GET /}), see {@link StaticFiles}.
 */
public final class SecurityGate extends Handler.Wrapper {
    private static final System.Logger LOG = System.getLogger("dev.anneau.bridge");
    public static final String PAIR_PATH = "/v1/pair";
    public static final String CONTEXT_PATH = "/v1/context";

    private final IntSupplier port;
    private final Set<String> extraHosts;
    private final PairingStore store;
    private final Limits limits;
    private final ObjectMapper mapper;
    private final StaticFiles files = new StaticFiles();
    private final Map<String, AtomicLong> admitted = new ConcurrentHashMap<>();
    private final AtomicLong foreignHosts = new AtomicLong();

    /**
     * @param port       the port the service listens on (known once started)
     * @param extraHosts further allowed host names (lower case, without port); only with an explicit non-loopback bind
     */
    public SecurityGate(IntSupplier port, Set<String> extraHosts, PairingStore store, Limits limits, ObjectMapper mapper) {
        this.port = port;
        this.extraHosts = Set.copyOf(extraHosts);
        this.store = store;
        this.limits = limits;
        this.mapper = mapper;
    }

    /** True when {@code host} (a Host header value) is exactly one of the allowed authorities. */
    boolean hostAllowed(String host) {
        if (host == null) return false;
        String h = host.toLowerCase(Locale.ROOT);
        int p = port.getAsInt();
        if (h.equals("127.0.0.1:" + p) || h.equals("localhost:" + p) || h.equals("[::1]:" + p)) return true;
        for (String x : extraHosts) if (h.equals(x + ":" + p)) return true;
        return false;
    }

    private boolean uriHostAllowed(HttpURI uri) {
        if (uri == null || uri.getHost() == null) return false;
        String h = uri.getHost().toLowerCase(Locale.ROOT);
        if (uri.getPort() != port.getAsInt()) return false;
        return h.equals("127.0.0.1") || h.equals("localhost") || h.equals("[::1]") || h.equals("::1") || extraHosts.contains(h);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpFields headers = request.getHeaders();
        // 1. Host: exactly one header, exactly an allowed authority, and the request target agrees
        List<HttpField> hosts = headers.getFields(HttpHeader.HOST);
        if (hosts.size() != 1 || !hostAllowed(hosts.getFirst().getValue()) || !uriHostAllowed(request.getHttpURI())) {
            foreignHosts.incrementAndGet();
            LOG.log(System.Logger.Level.INFO, "refused a request with a foreign Host (possible DNS rebinding)");
            return deny(response, callback, 403, "forbidden host: use http://127.0.0.1:" + port.getAsInt(), true);
        }
        // 2. sizes (header size is enforced by the connector: 431)
        long length = request.getLength();
        if (length > limits.maxRequestBodyBytes()) {
            return deny(response, callback, 413, "request body larger than " + limits.maxRequestBodyBytes() + " bytes", true);
        }
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        // 3. Origin: at most one; "null" and malformed ones are refused
        List<HttpField> origins = headers.getFields(HttpHeader.ORIGIN);
        if (origins.size() > 1) return deny(response, callback, 403, "more than one Origin header", false);
        String rawOrigin = origins.isEmpty() ? null : origins.getFirst().getValue();
        String origin = PairingStore.canonicalOrigin(rawOrigin);
        if (rawOrigin != null && origin == null) return deny(response, callback, 403, "the Origin is not allowed", false);
        boolean approved = origin != null && store.isApproved(origin);
        response.getHeaders().add(HttpHeader.VARY, "Origin");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        boolean isStatic = StaticFiles.isStaticPath(path);
        // 4. Fetch Metadata: the API answers browsers only through CORS or WebSockets (no <img>, no-cors, forms, frames)
        if (!isStatic && !corsOrWebSocket(headers)) {
            return deny(response, callback, 403, "browser requests to the API must be CORS or WebSocket requests", false);
        }

        if (method.equals("OPTIONS")) return preflight(request, response, callback, origin, approved || (isStatic && origin != null));

        boolean upgrade = headers.contains(HttpHeader.UPGRADE);
        if (upgrade) {
            if (!method.equals("GET")) return deny(response, callback, 405, "WebSocket upgrades use GET", false);
            if (path.equals(PAIR_PATH)) {
                if (origin == null) return deny(response, callback, 403, "pairing needs a web page's Origin", false);
                admit(PAIR_PATH, origin);
                return super.handle(request, response, callback);
            }
            if (path.equals(CONTEXT_PATH)) {
                if (origin == null) return deny(response, callback, 403, "a context needs a paired Origin", false);
                if (!approved) return deny(response, callback, 403, "this origin is not paired; request pairing first", false);
                String auth = headers.get(HttpHeader.AUTHORIZATION);
                if (auth != null && !store.checkToken(origin, bearer(auth))) {
                    return deny(response, callback, 401, "the token is not valid for this origin", false);
                }
                admit(CONTEXT_PATH, origin);
                return super.handle(request, response, callback);
            }
            return deny(response, callback, 404, "no such endpoint", false);
        }
        if (!method.equals("GET") && !method.equals("HEAD")) return deny(response, callback, 405, "method not allowed", false);
        if (isStatic) return serveStatic(request, response, callback, path, origin);
        if (rawOrigin != null && !approved) return deny(response, callback, 403, "this origin is not paired", false);
        if (approved) allowOrigin(response, origin);
        switch (path) {
            case "/health" -> {
                admit("/health", origin);
                ObjectNode o = mapper.createObjectNode();
                o.put("status", "ok");
                o.put("service", "anneau");
                o.put("protocol", Frames.PROTOCOL_VERSION);
                return json(response, callback, 200, o);
            }
            case "/v1/info" -> {
                if (origin == null) return deny(response, callback, 403, "this endpoint needs a paired Origin", false);
                String auth = headers.get(HttpHeader.AUTHORIZATION);
                if (auth == null || !store.checkToken(origin, bearer(auth))) {
                    return deny(response, callback, 401, "send the origin's token as Authorization: Bearer", false);
                }
                admit("/v1/info", origin);
                ObjectNode o = mapper.createObjectNode();
                o.put("protocol", Frames.PROTOCOL_VERSION);
                o.put("origin", origin);
                o.put("contextPath", CONTEXT_PATH);
                o.put("maxMessageBytes", limits.maxMessageBytes());
                o.put("maxTensorBytes", limits.maxTensorBytes());
                return json(response, callback, 200, o);
            }
            default -> {
                return deny(response, callback, 404, "no such endpoint", false);
            }
        }
    }

    private boolean preflight(Request request, Response response, Callback callback, String origin, boolean approved) {
        if (!approved) return deny(response, callback, 403, "this origin is not paired", false);
        HttpFields h = request.getHeaders();
        String wantMethod = h.get(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD);
        if (wantMethod != null && !wantMethod.equals("GET") && !wantMethod.equals("HEAD")) {
            return deny(response, callback, 403, "method not allowed", false);
        }
        allowOrigin(response, origin);
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD");
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "authorization");
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");
        if ("true".equalsIgnoreCase(h.get("Access-Control-Request-Private-Network"))) {
            response.getHeaders().put("Access-Control-Allow-Private-Network", "true");
        }
        if ("true".equalsIgnoreCase(h.get("Access-Control-Request-Local-Network"))) {
            response.getHeaders().put("Access-Control-Allow-Local-Network", "true");
        }
        response.setStatus(204);
        callback.succeeded();
        return true;
    }

    /**
     * Fetch Metadata (sent by every current browser): a request from another site or another port of this one
     * must be a CORS request or a WebSocket handshake; user navigations ({@code none}) and same-origin requests
     * pass, and so do clients that send no such headers (curl, programs), which the Origin rules cover.
     */
    static boolean corsOrWebSocket(HttpFields headers) {
        String site = headers.get("Sec-Fetch-Site");
        if (site == null) return true;
        site = site.trim().toLowerCase(Locale.ROOT);
        if (site.equals("none") || site.equals("same-origin")) return true;
        String mode = headers.get("Sec-Fetch-Mode");
        mode = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
        return mode.equals("cors") || mode.equals("websocket");
    }

    /** Counts a request that reached an endpoint (tests check what foreign pages never reach). */
    private void admit(String endpoint, String origin) {
        admitted.computeIfAbsent(endpoint + " " + (origin == null ? "-" : origin), k -> new AtomicLong()).incrementAndGet();
    }

    /** Requests that passed the gate, by {@code "endpoint origin"} ({@code "-"} for none). */
    public Map<String, Long> admittedRequests() {
        Map<String, Long> out = new TreeMap<>();
        admitted.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Requests refused by the Host check (DNS rebinding and the like) since the start. */
    public long foreignHostRefusals() { return foreignHosts.get(); }

    /** A static file: the JS client for any web origin (CORS echoes it; no credentials), the demo page same-origin. */
    private boolean serveStatic(Request request, Response response, Callback callback, String path, String origin) {
        Optional<StaticFiles.File> found = files.get(path);
        if (found.isEmpty()) return deny(response, callback, 404, "no such file", false);
        StaticFiles.File f = found.get();
        HttpFields.Mutable h = response.getHeaders();
        h.put(HttpHeader.CONTENT_TYPE, f.contentType());
        h.put(HttpHeader.CACHE_CONTROL, "no-cache");
        h.put("Referrer-Policy", "no-referrer");
        if (f.client()) {
            // public code: any page may load the polyfill (module scripts are CORS requests); nothing else is shared
            if (origin != null) allowOrigin(response, origin);
            h.put("Cross-Origin-Resource-Policy", "cross-origin");
        } else {
            String host = request.getHeaders().get(HttpHeader.HOST).toLowerCase(Locale.ROOT);
            h.put("Cross-Origin-Resource-Policy", "same-origin");
            h.put("X-Frame-Options", "DENY");
            h.put("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws://" + host + "; img-src 'self' data:; "
                    + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'");
        }
        response.setStatus(200);
        if (request.getMethod().equals("HEAD")) {
            h.put(HttpHeader.CONTENT_LENGTH, f.bytes().length);
            callback.succeeded();
            return true;
        }
        response.write(true, ByteBuffer.wrap(f.bytes()), callback);
        return true;
    }

    private static void allowOrigin(Response response, String origin) {
        // the exact origin, never "*", and no Access-Control-Allow-Credentials
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }

    static String bearer(String authorization) {
        if (authorization == null) return null;
        String a = authorization.trim();
        if (a.length() < 8 || !a.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        return a.substring(7).trim();
    }

    private boolean json(Response response, Callback callback, int status, ObjectNode body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        byte[] b;
        try {
            b = mapper.writeValueAsBytes(body);
        } catch (Exception e) {
            b = "{}".getBytes(StandardCharsets.UTF_8);
        }
        response.write(true, ByteBuffer.wrap(b), callback);
        return true;
    }

    private boolean deny(Response response, Callback callback, int status, String reason, boolean close) {
        // no CORS headers on refusals: a foreign page cannot read them
        HttpFields.Mutable h = response.getHeaders();
        h.remove(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN);
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
        if (close) h.put(HttpHeader.CONNECTION, "close");
        ObjectNode o = mapper.createObjectNode();
        o.put("error", reason);
        return json(response, callback, status, o);
    }
}
