package dev.anneau.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.TypeError;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses decoded frames into typed requests, checking structure, ids, byte lengths and size limits
 * (overflow-safe, before anything is allocated). Throws nothing but {@link ProtocolException}.
 */
public final class Requests {
    private Requests() {}

    public sealed interface Request permits Hello, CreateContext, OpSupportLimits, CreateTensor, WriteTensor, ReadTensor,
            Build, Dispatch, Destroy {}

    public record Hello(String token, int protocol) implements Request {}

    public record CreateContext(String powerPreference, boolean accelerated) implements Request {}

    public record OpSupportLimits() implements Request {}

    /** A validated tensor type: data type, shape, element count and byte length within the limits. */
    public record Desc(MLOperandDataType dataType, long[] shape, long elements, long byteLength) {}

    public record CreateTensor(long tensor, Desc desc, boolean readable, boolean writable, ByteBuffer constantData) implements Request {}

    public record WriteTensor(long tensor, ByteBuffer data) implements Request {}

    public record ReadTensor(long tensor) implements Request {}

    public record InputDecl(String name, long operand, Desc desc) {}

    /** A graph constant: bytes from the payload, or (when {@code tensor} is not null) a constant tensor. */
    public record ConstantDecl(long operand, Desc desc, ByteBuffer data, Long tensor) {}

    public record OpDecl(String op, JsonNode args, long[] outputs) {}

    public record Build(long graph, List<InputDecl> inputs, List<ConstantDecl> constants, List<OpDecl> ops,
                        Map<String, Long> outputs, long constantBytes) implements Request {}

    public record Dispatch(long graph, Map<String, Long> inputs, Map<String, Long> outputs) implements Request {}

    /** Destroys a tensor, a graph, or (both null) the whole context. */
    public record Destroy(Long tensor, Long graph) implements Request {}

    public static Request parse(Frames.Frame frame, Limits limits) throws ProtocolException {
        ObjectNode h = frame.header();
        String type = Json.string(h, "type");
        Json.id(h, "id");
        ByteBuffer payload = frame.payload();
        boolean carriesPayload = type.equals("writeTensor") || type.equals("build") || type.equals("createTensor");
        if (!carriesPayload && payload.hasRemaining()) throw new ProtocolException("'" + type + "' takes no payload, got " + payload.remaining() + " bytes");
        return switch (type) {
            case "hello" -> {
                String token = Json.string(h, "token");
                if (token.length() > 256) throw new ProtocolException("'token' is too long");
                long p = Json.nonNegative(Json.required(h, "protocol"), "'protocol'", 1_000_000);
                yield new Hello(token, (int) p);
            }
            case "createContext" -> {
                JsonNode o = h.get("options");
                if (o == null || o.isNull()) yield new CreateContext(null, true);
                ObjectNode opts = Json.object(o, "'options'");
                yield new CreateContext(Json.optString(opts, "powerPreference"), Json.optBool(opts, "accelerated", true));
            }
            case "opSupportLimits" -> new OpSupportLimits();
            case "createTensor" -> {
                long t = Json.id(h, "tensor");
                Desc d = desc(h, limits, "createTensor");
                boolean constant = Json.optBool(h, "constant", false);
                ByteBuffer data = null;
                if (constant) {
                    data = exactPayload(h, payload, d);
                } else if (payload.hasRemaining()) {
                    throw new ProtocolException("createTensor takes a payload only for constant tensors");
                }
                yield new CreateTensor(t, d, Json.optBool(h, "readable", false), Json.optBool(h, "writable", false), data);
            }
            case "writeTensor" -> {
                long t = Json.id(h, "tensor");
                long n = Json.nonNegative(Json.required(h, "byteLength"), "'byteLength'", limits.maxTensorBytes());
                if (n != payload.remaining()) {
                    throw new ProtocolException("writeTensor: 'byteLength' is " + n + " but " + payload.remaining() + " payload bytes follow");
                }
                yield new WriteTensor(t, payload);
            }
            case "readTensor" -> new ReadTensor(Json.id(h, "tensor"));
            case "build" -> build(h, payload, limits);
            case "dispatch" -> new Dispatch(Json.id(h, "graph"),
                    Json.nameToId(Json.required(h, "inputs"), "'inputs'", 4096),
                    Json.nameToId(Json.required(h, "outputs"), "'outputs'", 4096));
            case "destroy" -> {
                JsonNode t = h.get("tensor"), g = h.get("graph");
                if (t != null && g != null) throw new ProtocolException("destroy takes 'tensor' or 'graph', not both");
                yield new Destroy(t == null ? null : Json.id(t, "'tensor'"), g == null ? null : Json.id(g, "'graph'"));
            }
            default -> throw new ProtocolException("unknown message type '" + clip(type) + "'");
        };
    }

    private static Build build(ObjectNode h, ByteBuffer payload, Limits limits) throws ProtocolException {
        long graph = Json.id(h, "graph");
        int maxOps = limits.maxOpsPerGraph();
        Set<Long> defined = new HashSet<>();
        List<InputDecl> inputs = new ArrayList<>();
        JsonNode in = h.get("inputs");
        if (in != null && !in.isNull()) {
            Json.array(in, "'inputs'", 4096);
            Set<String> names = new HashSet<>();
            for (JsonNode e : in) {
                ObjectNode o = Json.object(e, "'inputs' entry");
                String name = Json.string(o, "name");
                if (!names.add(name)) throw new ProtocolException("build: duplicate input name");
                long id = define(defined, Json.id(o, "operand"));
                inputs.add(new InputDecl(name, id, desc(o, limits, "build input")));
            }
        }
        List<ConstantDecl> constants = new ArrayList<>();
        long constantBytes = 0;
        JsonNode cs = h.get("constants");
        if (cs != null && !cs.isNull()) {
            Json.array(cs, "'constants'", maxOps + 4096);
            for (JsonNode e : cs) {
                ObjectNode o = Json.object(e, "'constants' entry");
                long id = define(defined, Json.id(o, "operand"));
                Desc d = desc(o, limits, "build constant");
                JsonNode tensor = o.get("tensor");
                if (tensor != null && !tensor.isNull()) {
                    constants.add(new ConstantDecl(id, d, null, Json.id(tensor, "constant 'tensor'")));
                    continue;
                }
                long off = Json.nonNegative(Json.required(o, "offset"), "constant 'offset'", Integer.MAX_VALUE);
                long len = Json.nonNegative(Json.required(o, "byteLength"), "constant 'byteLength'", limits.maxTensorBytes());
                if (len != d.byteLength()) {
                    throw new ProtocolException("build: constant 'byteLength' is " + len + "; its type needs exactly " + d.byteLength());
                }
                if (off + len > payload.remaining()) {
                    throw new ProtocolException("build: constant bytes [" + off + ", " + (off + len) + ") lie outside the "
                            + payload.remaining() + "-byte payload");
                }
                constantBytes += len;
                if (constantBytes > limits.maxResidentBytesPerOrigin()) throw ProtocolException.quota("build: constants exceed the resident byte limit");
                constants.add(new ConstantDecl(id, d, payload.slice((int) off, (int) len).order(java.nio.ByteOrder.LITTLE_ENDIAN), null));
            }
        }
        List<OpDecl> ops = new ArrayList<>();
        JsonNode os = Json.array(Json.required(h, "ops"), "'ops'", maxOps);
        for (JsonNode e : os) {
            ObjectNode o = Json.object(e, "'ops' entry");
            String op = Json.string(o, "op");
            if (op.length() > 64) throw new ProtocolException("build: operator name too long");
            JsonNode args = Json.array(Json.required(o, "args"), "'args'", 16);
            checkRefs(args, defined, 0);
            JsonNode outs = Json.array(Json.required(o, "outputs"), "'outputs'", 4096);
            long[] outputs = new long[outs.size()];
            for (int i = 0; i < outputs.length; i++) outputs[i] = define(defined, Json.id(outs.get(i), "output operand"));
            if (outputs.length == 0) throw new ProtocolException("build: every op needs at least one output id");
            ops.add(new OpDecl(op, args, outputs));
        }
        Map<String, Long> outputs = Json.nameToId(Json.required(h, "outputs"), "'outputs'", 4096);
        for (long id : outputs.values()) {
            if (!defined.contains(id)) throw new ProtocolException("build: an output names undefined operand " + id);
        }
        return new Build(graph, inputs, constants, ops, outputs, constantBytes);
    }

    private static long define(Set<Long> defined, long id) throws ProtocolException {
        if (!defined.add(id)) throw new ProtocolException("build: operand id " + id + " is defined twice");
        return id;
    }

    /** Operand references ({"$operand": id}) must name operands defined earlier: this rules out cycles. */
    private static void checkRefs(JsonNode v, Set<Long> defined, int depth) throws ProtocolException {
        if (depth > 8) throw new ProtocolException("build: op arguments nest too deeply");
        if (v.isObject()) {
            JsonNode ref = v.get("$operand");
            if (ref != null) {
                if (v.size() != 1) throw new ProtocolException("build: an operand reference has only the '$operand' key");
                long id = Json.id(ref, "'$operand'");
                if (!defined.contains(id)) throw new ProtocolException("build: operand " + id + " is used before it is defined");
                return;
            }
            for (JsonNode c : v) checkRefs(c, defined, depth + 1);
        } else if (v.isArray()) {
            for (JsonNode c : v) checkRefs(c, defined, depth + 1);
        }
    }

    private static ByteBuffer exactPayload(ObjectNode h, ByteBuffer payload, Desc d) throws ProtocolException {
        long n = Json.nonNegative(Json.required(h, "byteLength"), "'byteLength'", Long.MAX_VALUE >> 1);
        if (n != d.byteLength()) throw new ProtocolException("'byteLength' is " + n + "; the tensor needs exactly " + d.byteLength());
        if (n != payload.remaining()) throw new ProtocolException("'byteLength' is " + n + " but " + payload.remaining() + " payload bytes follow");
        return payload;
    }

    /** Reads dataType + shape, checking rank, dimensions and byte length without overflow. */
    static Desc desc(ObjectNode o, Limits limits, String what) throws ProtocolException {
        String dt = Json.string(o, "dataType");
        MLOperandDataType type;
        try {
            type = MLOperandDataType.fromSpecName(dt);
        } catch (TypeError e) {
            throw new ProtocolException("TypeError", 400, what + ": '" + clip(dt) + "' is not an MLOperandDataType");
        }
        JsonNode s = Json.required(o, "shape");
        if (!s.isArray()) throw new ProtocolException(what + ": 'shape' must be an array");
        if (s.size() > limits.maxRank()) {
            throw ProtocolException.tooLarge(what + ": rank " + s.size() + " exceeds the limit of " + limits.maxRank());
        }
        long[] shape = new long[s.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = Json.nonNegative(s.get(i), what + ": shape[" + i + "]", 0xFFFF_FFFFL);
            if (d == 0) throw new ProtocolException("TypeError", 400, what + ": every dimension must be positive");
            shape[i] = d;
            // d <= 2^32-1 and elements <= maxTensorElements (< 2^62 / 2^32) before multiplying: no overflow
            elements *= d;
            if (elements > limits.maxTensorElements()) {
                throw ProtocolException.tooLarge(what + ": more than " + limits.maxTensorElements() + " elements");
            }
        }
        long bytes = type.byteLength(elements);
        if (bytes > limits.maxTensorBytes()) {
            throw ProtocolException.tooLarge(what + ": " + bytes + " bytes exceeds the tensor limit of " + limits.maxTensorBytes());
        }
        return new Desc(type, shape, elements, bytes);
    }

    static String clip(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        StringBuilder b = new StringBuilder();
        for (char c : t.toCharArray()) b.append(c < 0x20 || c == 0x7f ? '?' : c);
        return b.toString();
    }
}
