package dev.anneau.bridge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.anneau.onnx.ElementType;
import dev.anneau.onnx.OnnxTensor;
import dev.anneau.webnn.ops.Numbers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Open Inference Protocol (v2) REST encoding: inference requests (JSON tensors, and the binary tensor
 * data extension: {@code binary_data_size} inputs whose bytes follow the JSON, {@code binary_data} /
 * {@code binary_data_output} outputs) and responses. Parsing is streaming (no tree of the data arrays),
 * bounded by the service's limits, and throws nothing but {@link InferenceError}.
 *
 * <p>JSON has no NaN or infinities: they are read and written as the bare tokens {@code NaN},
 * {@code Infinity} and {@code -Infinity} (as Python's {@code json} module does); binary tensors carry them
 * exactly.
 */
final class OipCodec {
    /** The OIP data types this service can run (WebNN's types; BOOL is ONNX bool, one byte 0 or 1). */
    static String datatype(ElementType t) {
        return switch (t) {
            case FLOAT -> "FP32";
            case FLOAT16 -> "FP16";
            case DOUBLE -> "FP64";
            case BFLOAT16 -> "BF16";
            case INT8 -> "INT8";
            case UINT8 -> "UINT8";
            case INT16 -> "INT16";
            case UINT16 -> "UINT16";
            case INT32 -> "INT32";
            case UINT32 -> "UINT32";
            case INT64 -> "INT64";
            case UINT64 -> "UINT64";
            case BOOL -> "BOOL";
            case INT4, UINT4 -> null; // no OIP type
        };
    }

    static ElementType elementType(String datatype) {
        for (ElementType t : ElementType.values()) if (datatype.equals(datatype(t))) return t;
        return null;
    }

    /** One request input: its type, shape and exactly its bytes (little-endian). */
    record Input(String name, ElementType type, long[] shape, OnnxTensor tensor) {}

    /** One requested output; {@code binary} null when the request did not say. */
    record Output(String name, Boolean binary) {}

    /** A parsed request; {@code outputs} null when the request asks for every output. */
    record Request(String id, boolean binaryDataOutput, List<Input> inputs, List<Output> outputs) {}

    /** One response output: the tensor and whether it goes as binary data. */
    record Result(String name, OnnxTensor tensor, boolean binary) {}

    /** A response: the JSON part and the binary blobs that follow it (in output order). */
    record Response(byte[] json, List<ByteBuffer> binary) {
        long binaryLength() {
            long n = 0;
            for (ByteBuffer b : binary) n += b.remaining();
            return n;
        }
    }

    private final JsonFactory factory;
    private final Limits limits;

    OipCodec(Limits limits, int maxJsonBytes) {
        this.limits = limits;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxNumberLength(400)
                        .maxStringLength(64 * 1024)
                        .maxNameLength(1024)
                        .maxDocumentLength(maxJsonBytes)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .build();
    }

    // ------------------------------------------------------------------ requests

    /**
     * Parses a request: {@code body[0, jsonLength)} is the JSON, the rest the binary tensor data (in the
     * order of the inputs that declare {@code binary_data_size}; their sizes must add up to exactly the rest).
     */
    Request parse(byte[] body, int jsonLength) throws InferenceError {
        if (jsonLength < 0 || jsonLength > body.length) {
            throw InferenceError.badRequest("Inference-Header-Content-Length is " + jsonLength + " but the body has " + body.length + " bytes");
        }
        List<PendingInput> pending = new ArrayList<>();
        List<Output> outputs = null;
        String id = null;
        boolean binaryOutput = false;
        try (JsonParser p = factory.createParser(body, 0, jsonLength)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw InferenceError.badRequest("the inference request must be a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "id" -> {
                        if (v != JsonToken.VALUE_STRING) throw InferenceError.badRequest("'id' must be a string");
                        id = p.getText();
                        if (id.length() > 256) throw InferenceError.badRequest("'id' is longer than 256 characters");
                    }
                    case "parameters" -> {
                        requireObject(v, "'parameters'");
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            JsonToken pv = p.nextToken();
                            if (name.equals("binary_data_output")) binaryOutput = bool(pv, "parameter 'binary_data_output'");
                            else p.skipChildren();
                        }
                    }
                    case "inputs" -> {
                        requireArray(v, "'inputs'");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (pending.size() >= MAX_TENSORS) throw InferenceError.badRequest("more than " + MAX_TENSORS + " inputs");
                            pending.add(input(p, pending.size()));
                        }
                    }
                    case "outputs" -> {
                        requireArray(v, "'outputs'");
                        outputs = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (outputs.size() >= MAX_TENSORS) throw InferenceError.badRequest("more than " + MAX_TENSORS + " outputs");
                            outputs.add(output(p, outputs.size()));
                        }
                    }
                    default -> p.skipChildren(); // other fields and extensions this service does not use
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw InferenceError.badRequest("the inference request must be one JSON object");
            }
        } catch (IOException | RuntimeException e) {
            // Jackson's messages may quote the input; give the rule instead
            throw InferenceError.badRequest("the inference request is not valid JSON (UTF-8, one object, no duplicate keys, "
                    + "nesting at most 32 deep)");
        }
        if (pending.isEmpty()) throw InferenceError.badRequest("'inputs' is required and must not be empty");
        Set<String> names = new HashSet<>();
        for (PendingInput in : pending) {
            if (!names.add(in.name)) throw InferenceError.badRequest("input '" + clip(in.name) + "' is given twice");
        }
        if (outputs != null) {
            Set<String> outNames = new HashSet<>();
            for (Output o : outputs) {
                if (!outNames.add(o.name())) throw InferenceError.badRequest("output '" + clip(o.name()) + "' is requested twice");
            }
        }
        // binary data follows the JSON, in input order
        int offset = jsonLength;
        List<Input> inputs = new ArrayList<>();
        for (PendingInput in : pending) {
            OnnxTensor t;
            if (in.binarySize >= 0) {
                long rest = body.length - (long) offset;
                if (in.binarySize > rest) {
                    throw InferenceError.badRequest("input '" + clip(in.name) + "': binary_data_size is " + in.binarySize + " but only "
                            + rest + " bytes of binary data are left in the body");
                }
                ByteBuffer slice = ByteBuffer.wrap(body, offset, (int) in.binarySize).slice().order(ByteOrder.LITTLE_ENDIAN);
                offset += (int) in.binarySize;
                if (in.type == ElementType.BOOL) checkBools(slice, in.name);
                t = OnnxTensor.wrap(in.type, in.shape, slice);
            } else {
                t = in.values.toTensor(in.type, in.shape, in.name);
            }
            inputs.add(new Input(in.name, in.type, in.shape, t));
        }
        if (offset != body.length) {
            throw InferenceError.badRequest((body.length - offset) + " bytes follow the JSON that no input's binary_data_size accounts for");
        }
        return new Request(id, binaryOutput, inputs, outputs);
    }

    static final int MAX_TENSORS = 1024;

    /** An input as read from the JSON (data not yet converted). */
    private static final class PendingInput {
        String name;
        ElementType type;
        long[] shape;
        long binarySize = -1;
        Values values;
    }

    private PendingInput input(JsonParser p, int index) throws IOException, InferenceError {
        requireObject(p.currentToken(), "'inputs[" + index + "]'");
        PendingInput in = new PendingInput();
        String datatype = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "name" -> in.name = string(p, v, "'inputs[" + index + "].name'");
                case "datatype" -> datatype = string(p, v, "'inputs[" + index + "].datatype'");
                case "shape" -> in.shape = shape(p, v, index);
                case "parameters" -> {
                    requireObject(v, "'inputs[" + index + "].parameters'");
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken pv = p.nextToken();
                        if (name.equals("binary_data_size")) {
                            if (pv != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
                                throw InferenceError.badRequest("'inputs[" + index + "].parameters.binary_data_size' must be a non-negative integer");
                            }
                            in.binarySize = p.getLongValue();
                        } else if (name.equals("shared_memory_region")) {
                            throw InferenceError.badRequest("shared memory inputs are not supported; send the data in the request");
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                case "data" -> {
                    if (v != JsonToken.START_ARRAY) throw InferenceError.badRequest("'inputs[" + index + "].data' must be an array");
                    in.values = new Values(limits.maxTensorElements(), index);
                    in.values.read(p);
                }
                default -> p.skipChildren();
            }
        }
        String what = "inputs[" + index + "]";
        if (in.name == null) throw InferenceError.badRequest("'" + what + ".name' is required");
        what = "input '" + clip(in.name) + "'";
        if (datatype == null) throw InferenceError.badRequest(what + ": 'datatype' is required");
        if (in.shape == null) throw InferenceError.badRequest(what + ": 'shape' is required");
        in.type = elementType(datatype);
        if (in.type == null) {
            throw InferenceError.badRequest(what + ": datatype '" + clip(datatype) + "' is not supported; use one of "
                    + "BOOL, UINT8, INT8, INT32, UINT32, INT64, UINT64, FP16, FP32");
        }
        long bytes = checkSize(in.type, in.shape, what);
        if (in.binarySize >= 0 && in.values != null) throw InferenceError.badRequest(what + ": give 'data' or binary_data_size, not both");
        if (in.binarySize < 0 && in.values == null) throw InferenceError.badRequest(what + ": 'data' (or binary_data_size) is required");
        if (in.binarySize >= 0 && in.binarySize != bytes) {
            throw InferenceError.badRequest(what + ": binary_data_size is " + in.binarySize + " but " + datatype + " " + Arrays.toString(in.shape)
                    + " takes exactly " + bytes + " bytes");
        }
        return in;
    }

    private Output output(JsonParser p, int index) throws IOException, InferenceError {
        requireObject(p.currentToken(), "'outputs[" + index + "]'");
        String name = null;
        Boolean binary = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "name" -> name = string(p, v, "'outputs[" + index + "].name'");
                case "parameters" -> {
                    requireObject(v, "'outputs[" + index + "].parameters'");
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String pn = p.currentName();
                        JsonToken pv = p.nextToken();
                        switch (pn) {
                            case "binary_data" -> binary = bool(pv, "'outputs[" + index + "].parameters.binary_data'");
                            case "classification" -> throw InferenceError.badRequest("the classification extension is not supported");
                            case "shared_memory_region" -> throw InferenceError.badRequest("shared memory outputs are not supported");
                            default -> p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (name == null) throw InferenceError.badRequest("'outputs[" + index + "].name' is required");
        return new Output(name, binary);
    }

    private long[] shape(JsonParser p, JsonToken v, int index) throws IOException, InferenceError {
        String what = "'inputs[" + index + "].shape'";
        requireArray(v, what);
        long[] s = new long[limits.maxRank()];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == s.length) throw new InferenceError(413, what + ": rank exceeds the limit of " + limits.maxRank());
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw InferenceError.badRequest(what + " must be an array of integers");
            }
            long d = p.getLongValue();
            if (d < 1 || d > 0xFFFF_FFFFL) throw InferenceError.badRequest(what + ": every dimension must be in 1..2^32-1, got " + d);
            s[n++] = d;
        }
        return Arrays.copyOf(s, n);
    }

    /** Element count and byte length within the limits (overflow-safe, before anything is allocated). */
    long checkSize(ElementType type, long[] shape, String what) throws InferenceError {
        long elements = 1;
        for (long d : shape) {
            // d < 2^32 and elements <= maxTensorElements <= 2^30 before multiplying: no overflow
            elements *= d;
            if (elements > limits.maxTensorElements()) {
                throw new InferenceError(413, what + ": more than " + limits.maxTensorElements() + " elements (the limit)");
            }
        }
        long bytes = type.byteLength(elements);
        if (bytes > limits.maxTensorBytes()) {
            throw new InferenceError(413, what + ": " + bytes + " bytes exceeds the tensor limit of " + limits.maxTensorBytes());
        }
        return bytes;
    }

    private static void checkBools(ByteBuffer b, String name) throws InferenceError {
        for (int i = b.position(); i < b.limit(); i++) {
            int v = b.get(i);
            if (v != 0 && v != 1) throw InferenceError.badRequest("input '" + clip(name) + "': BOOL binary data must be bytes 0 or 1, got " + (v & 0xff));
        }
    }

    private static void requireObject(JsonToken t, String what) throws InferenceError {
        if (t != JsonToken.START_OBJECT) throw InferenceError.badRequest(what + " must be an object");
    }

    private static void requireArray(JsonToken t, String what) throws InferenceError {
        if (t != JsonToken.START_ARRAY) throw InferenceError.badRequest(what + " must be an array");
    }

    private static String string(JsonParser p, JsonToken t, String what) throws IOException, InferenceError {
        if (t != JsonToken.VALUE_STRING) throw InferenceError.badRequest(what + " must be a string");
        String s = p.getText();
        if (s.isEmpty() || s.length() > 1024) throw InferenceError.badRequest(what + " must have 1 to 1024 characters");
        return s;
    }

    private static boolean bool(JsonToken t, String what) throws InferenceError {
        if (t == JsonToken.VALUE_TRUE) return true;
        if (t == JsonToken.VALUE_FALSE) return false;
        throw InferenceError.badRequest(what + " must be true or false");
    }

    static String clip(String s) { return Requests.clip(s); }

    /**
     * The numbers of one {@code data} array (nested arrays flattened in row-major order), kept with their
     * JSON kind until the data type is known: 8 bytes + 1 per element, at most the tensor element limit.
     */
    static final class Values {
        private static final byte INT = 0, UNSIGNED64 = 1, FLOAT = 2, BOOL = 3, HUGE = 4;
        private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
        private final long max;
        private final int index;
        private long[] bits = new long[64];
        private byte[] kinds = new byte[64];
        private int n;

        Values(long max, int index) {
            this.max = Math.min(max, Integer.MAX_VALUE - 16);
            this.index = index;
        }

        int size() { return n; }

        void read(JsonParser p) throws IOException, InferenceError {
            int depth = 1;
            while (depth > 0) {
                JsonToken t = p.nextToken();
                if (t == null) throw InferenceError.badRequest("'inputs[" + index + "].data' is not closed");
                switch (t) {
                    case START_ARRAY -> depth++;
                    case END_ARRAY -> depth--;
                    case VALUE_NUMBER_INT -> {
                        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            BigInteger b = p.getBigIntegerValue();
                            if (b.signum() >= 0 && b.compareTo(TWO_64) < 0) add(UNSIGNED64, b.longValue());
                            else add(HUGE, Double.doubleToRawLongBits(b.doubleValue()));
                        } else {
                            add(INT, p.getLongValue());
                        }
                    }
                    case VALUE_NUMBER_FLOAT -> add(FLOAT, Double.doubleToRawLongBits(p.getDoubleValue()));
                    case VALUE_TRUE -> add(BOOL, 1);
                    case VALUE_FALSE -> add(BOOL, 0);
                    case VALUE_STRING -> throw InferenceError.badRequest("'inputs[" + index + "].data': strings (BYTES tensors) are not supported");
                    default -> throw InferenceError.badRequest("'inputs[" + index + "].data' must hold numbers or booleans, in (nested) arrays");
                }
            }
        }

        private void add(byte kind, long v) throws InferenceError {
            if (n >= max) throw new InferenceError(413, "'inputs[" + index + "].data' has more than " + max + " elements (the limit)");
            if (n == bits.length) {
                int cap = (int) Math.min(max, (long) bits.length * 2);
                bits = Arrays.copyOf(bits, cap);
                kinds = Arrays.copyOf(kinds, cap);
            }
            bits[n] = v;
            kinds[n++] = kind;
        }

        /** The values as a tensor of {@code type}: exact for integers (out of range is an error), rounded once for floats. */
        OnnxTensor toTensor(ElementType type, long[] shape, String name) throws InferenceError {
            String what = "input '" + clip(name) + "'";
            long size = OnnxTensor.elementCount(shape); // checked against the limits already
            if (size != n) {
                throw InferenceError.badRequest(what + ": 'data' has " + n + " elements but shape " + Arrays.toString(shape) + " needs " + size);
            }
            ByteBuffer w = ByteBuffer.allocate((int) type.byteLength(n)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                byte k = kinds[i];
                long v = bits[i];
                switch (type) {
                    case FLOAT -> w.putFloat(i * 4, (float) number(k, v, what, i));
                    case FLOAT16 -> w.putShort(i * 2, Numbers.doubleToHalf(number(k, v, what, i)));
                    case DOUBLE -> w.putDouble(i * 8, number(k, v, what, i));
                    case BOOL -> {
                        if ((k != BOOL && k != INT) || (v != 0 && v != 1)) {
                            throw InferenceError.badRequest(what + ": BOOL data must be true/false (or 0/1); element " + i + " is not");
                        }
                        w.put(i, (byte) v);
                    }
                    case INT8, UINT8 -> w.put(i, (byte) integer(k, v, type, what, i));
                    case INT16, UINT16 -> w.putShort(i * 2, (short) integer(k, v, type, what, i));
                    case INT32, UINT32 -> w.putInt(i * 4, (int) integer(k, v, type, what, i));
                    case INT64, UINT64 -> w.putLong(i * 8, integer(k, v, type, what, i));
                    default -> throw InferenceError.badRequest(what + ": datatype " + datatype(type) + " is not supported");
                }
            }
            return OnnxTensor.wrap(type, shape, w);
        }

        private static double number(byte k, long v, String what, int i) throws InferenceError {
            return switch (k) {
                case INT -> v;
                case UNSIGNED64 -> v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
                case FLOAT, HUGE -> Double.longBitsToDouble(v);
                default -> throw InferenceError.badRequest(what + ": element " + i + " is a boolean; this datatype takes numbers");
            };
        }

        /**
         * The exact integer, checked against the type's range (UINT64 values of 2^63 and more are returned
         * as their bit pattern). Integral JSON floats (e.g. {@code 3.0}) are accepted up to 2^53.
         */
        private static long integer(byte k, long v, ElementType type, String what, int i) throws InferenceError {
            boolean negative;
            switch (k) {
                case INT -> negative = v < 0;
                case UNSIGNED64 -> {
                    if (type == ElementType.UINT64) return v;
                    throw outOfRange(type, what, i);
                }
                case FLOAT -> {
                    double d = Double.longBitsToDouble(v);
                    if (d != Math.rint(d)) {
                        throw InferenceError.badRequest(what + ": " + datatype(type) + " data must be integers; element " + i + " is not");
                    }
                    if (Math.abs(d) > 9.007199254740992E15) throw outOfRange(type, what, i);
                    v = (long) d;
                    negative = v < 0;
                }
                case HUGE -> throw outOfRange(type, what, i);
                default -> throw InferenceError.badRequest(what + ": element " + i + " is a boolean; " + datatype(type) + " takes integers");
            }
            long lo, hi;
            switch (type) {
                case INT8 -> { lo = -128; hi = 127; }
                case UINT8 -> { lo = 0; hi = 255; }
                case INT16 -> { lo = Short.MIN_VALUE; hi = Short.MAX_VALUE; }
                case UINT16 -> { lo = 0; hi = 65535; }
                case INT32 -> { lo = Integer.MIN_VALUE; hi = Integer.MAX_VALUE; }
                case UINT32 -> { lo = 0; hi = 0xFFFF_FFFFL; }
                case INT64 -> { lo = Long.MIN_VALUE; hi = Long.MAX_VALUE; }
                default -> { // UINT64: a non-negative long
                    if (negative) throw outOfRange(type, what, i);
                    return v;
                }
            }
            if (v < lo || v > hi) throw outOfRange(type, what, i);
            return v;
        }

        private static InferenceError outOfRange(ElementType type, String what, int i) {
            return InferenceError.badRequest(what + ": element " + i + " is outside the range of " + datatype(type));
        }
    }

    // ------------------------------------------------------------------ responses

    /** Encodes a response: JSON outputs inline, binary ones as {@code binary_data_size} with their bytes after the JSON. */
    Response encode(String model, String version, String id, List<Result> results) {
        ByteArrayOutputStream json = new ByteArrayOutputStream(256);
        List<ByteBuffer> blobs = new ArrayList<>();
        try (JsonGenerator g = factory.createGenerator(json)) {
            g.writeStartObject();
            g.writeStringField("model_name", model);
            g.writeStringField("model_version", version);
            if (id != null) g.writeStringField("id", id);
            g.writeArrayFieldStart("outputs");
            for (Result r : results) {
                OnnxTensor t = r.tensor();
                g.writeStartObject();
                g.writeStringField("name", r.name());
                g.writeStringField("datatype", datatype(t.type()));
                g.writeArrayFieldStart("shape");
                for (long d : t.shape()) g.writeNumber(d);
                g.writeEndArray();
                if (r.binary()) {
                    ByteBuffer data = t.data();
                    g.writeObjectFieldStart("parameters");
                    g.writeNumberField("binary_data_size", data.remaining());
                    g.writeEndObject();
                    blobs.add(data);
                } else {
                    g.writeArrayFieldStart("data");
                    writeData(g, t);
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a response", e);
        }
        return new Response(json.toByteArray(), blobs);
    }

    private static void writeData(JsonGenerator g, OnnxTensor t) throws IOException {
        ByteBuffer b = t.data();
        int n = t.size();
        switch (t.type()) {
            case FLOAT -> { for (int i = 0; i < n; i++) g.writeNumber(b.getFloat(i * 4)); }
            case FLOAT16 -> { for (int i = 0; i < n; i++) g.writeNumber(Numbers.halfToFloat(b.getShort(i * 2))); }
            case DOUBLE -> { for (int i = 0; i < n; i++) g.writeNumber(b.getDouble(i * 8)); }
            case BOOL -> { for (int i = 0; i < n; i++) g.writeBoolean(b.get(i) != 0); }
            case UINT64 -> {
                for (int i = 0; i < n; i++) {
                    long v = b.getLong(i * 8);
                    if (v >= 0) g.writeNumber(v);
                    else g.writeNumber(new BigInteger(Long.toUnsignedString(v)));
                }
            }
            default -> { for (int i = 0; i < n; i++) g.writeNumber(t.getLong(i)); }
        }
    }
}
