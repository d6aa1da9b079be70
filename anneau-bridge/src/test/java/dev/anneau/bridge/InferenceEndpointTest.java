package dev.anneau.bridge;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.anneau.onnx.ElementType;
import dev.anneau.onnx.OnnxModel;
import dev.anneau.onnx.OnnxTensor;
import dev.anneau.onnx.TensorProtos;
import dev.anneau.onnx.proto.Onnx.AttributeProto;
import dev.anneau.onnx.proto.Onnx.GraphProto;
import dev.anneau.onnx.proto.Onnx.ModelProto;
import dev.anneau.onnx.proto.Onnx.NodeProto;
import dev.anneau.onnx.proto.Onnx.OperatorSetIdProto;
import dev.anneau.onnx.proto.Onnx.TensorShapeProto;
import dev.anneau.onnx.proto.Onnx.TypeProto;
import dev.anneau.onnx.proto.Onnx.ValueInfoProto;
import dev.anneau.webnn.MLContextOptions;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Open Inference Protocol endpoint over HTTP (JDK client): metadata, JSON and binary inference, errors, authentication. */
class InferenceEndpointTest {
    static final Path NODE = Path.of(System.getProperty("anneau.testdata", "../testdata"), "onnx-node", "node");
    static Fixture fx;
    static String token;
    static String pageToken;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        fx = new Fixture(Limits.defaults().withTensorLimits(1 << 20, 4 << 20, 8 << 20, 64).withMaxMessageBytes(5 << 20));
        token = fx.server.localToken();
        pageToken = fx.pair(Fixture.PAGE);
        MLContextOptions cpu = MLContextOptions.defaults().withBackend("cpu");
        fx.server.models().register("mix", OnnxModel.load(mixModel().toByteArray()), cpu);
        fx.server.models().register("add", NODE.resolve("test_add/model.onnx"), cpu);
        fx.server.models().register("argmax", NODE.resolve("test_argmax_default_axis_example/model.onnx"), cpu);
    }

    @AfterAll
    static void stop() throws Exception { fx.close(); }

    /**
     * a, b: FP32 [N, 3]; c: BOOL [N, 3]. Outputs: sum = a + b (FP32), gt = a > b (BOOL), idx = argmax(a, axis 1) (INT64 [N]),
     * nc = not c (BOOL).
     */
    static ModelProto mixModel() {
        GraphProto g = GraphProto.newBuilder().setName("mix")
                .addInput(info("a", 1, "N", 3L)).addInput(info("b", 1, "N", 3L)).addInput(info("c", 9, "N", 3L))
                .addNode(node("Add", List.of("a", "b"), "sum"))
                .addNode(node("Greater", List.of("a", "b"), "gt"))
                .addNode(node("ArgMax", List.of("a"), "idx",
                        AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(1).build(),
                        AttributeProto.newBuilder().setName("keepdims").setType(AttributeProto.AttributeType.INT).setI(0).build()))
                .addNode(node("Not", List.of("c"), "nc"))
                .addOutput(info("sum", 1, "N", 3L)).addOutput(info("gt", 9, "N", 3L)).addOutput(info("idx", 7, "N"))
                .addOutput(info("nc", 9, "N", 3L))
                .build();
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(g).build();
    }

    static ValueInfoProto info(String name, int type, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String p) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(p));
            else s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue((Long) d));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(type).setShape(s))).build();
    }

    static NodeProto node(String op, List<String> inputs, String output, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(op + "_" + output).addAllInput(inputs).addOutput(output);
        for (AttributeProto a : attrs) n.addAttribute(a);
        return n.build();
    }

    // ------------------------------------------------------------------ HTTP helpers

    static URI uri(String path) { return URI.create("http://127.0.0.1:" + fx.port + path); }

    static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> post(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> postJson(String path, Object json, String... headers) throws Exception {
        String[] h = new String[headers.length + 4];
        h[0] = "Authorization";
        h[1] = "Bearer " + token;
        h[2] = "Content-Type";
        h[3] = "application/json";
        System.arraycopy(headers, 0, h, 4, headers.length);
        return post(path, Fixture.MAPPER.writeValueAsBytes(json), h);
    }

    static String auth() { return "Bearer " + token; }

    static JsonNode json(HttpResponse<byte[]> r) throws Exception { return Fixture.MAPPER.readTree(r.body()); }

    static void assertError(HttpResponse<byte[]> r, int status, String contains) throws Exception {
        assertEquals(status, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        JsonNode e = json(r);
        assertTrue(e.isObject() && e.size() == 1 && e.path("error").isTextual(), "OIP error format {\"error\": ...}: " + e);
        assertTrue(e.path("error").asText().contains(contains), "'" + e.path("error").asText() + "' should mention '" + contains + "'");
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    }

    static Map<String, Object> input(String name, String datatype, List<Integer> shape, Object data) {
        return Map.of("name", name, "datatype", datatype, "shape", shape, "data", data);
    }

    static Map<String, Object> binaryInput(String name, String datatype, List<Integer> shape, int size) {
        return Map.of("name", name, "datatype", datatype, "shape", shape, "parameters", Map.of("binary_data_size", size));
    }

    /** A binary request: the JSON, then the blobs; returns body and JSON length. */
    static byte[] binaryBody(Object json, ByteBuffer... blobs) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Fixture.MAPPER.writeValueAsBytes(json));
        for (ByteBuffer b : blobs) {
            byte[] a = new byte[b.remaining()];
            b.duplicate().get(a);
            out.write(a);
        }
        return out.toByteArray();
    }

    static int jsonLength(Object json) throws Exception { return Fixture.MAPPER.writeValueAsBytes(json).length; }

    static JsonNode output(JsonNode response, String name) {
        for (JsonNode o : response.path("outputs")) if (o.path("name").asText().equals(name)) return o;
        throw new AssertionError("no output '" + name + "' in " + response);
    }

    static List<Long> shape(JsonNode o) {
        return Fixture.MAPPER.convertValue(o.path("shape"), Fixture.MAPPER.getTypeFactory().constructCollectionType(List.class, Long.class));
    }

    // ------------------------------------------------------------------ health and metadata

    @Test
    void healthNeedsNoTokenAndHasAnEmptyBody() throws Exception {
        for (String p : List.of("/v2/health/live", "/v2/health/ready")) {
            HttpResponse<byte[]> r = get(p);
            assertEquals(200, r.statusCode(), p);
            assertEquals(0, r.body().length, p);
        }
        assertEquals(200, get("/v2/models/mix/ready", "Authorization", auth()).statusCode());
        assertEquals(200, get("/v2/models/mix/versions/1/ready", "Authorization", auth()).statusCode());
    }

    @Test
    void serverAndModelMetadata() throws Exception {
        JsonNode server = json(get("/v2", "Authorization", auth()));
        assertEquals("anneau", server.path("name").asText());
        assertTrue(server.path("version").isTextual());
        assertTrue(server.path("extensions").toString().contains("binary_tensor_data"));

        HttpResponse<byte[]> r = get("/v2/models/mix", "Authorization", auth());
        assertEquals(200, r.statusCode());
        JsonNode m = json(r);
        assertEquals("mix", m.path("name").asText());
        assertEquals("[\"1\"]", m.path("versions").toString());
        assertEquals("onnx", m.path("platform").asText());
        assertEquals("[{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[-1,3]},{\"name\":\"b\",\"datatype\":\"FP32\",\"shape\":[-1,3]},"
                + "{\"name\":\"c\",\"datatype\":\"BOOL\",\"shape\":[-1,3]}]", m.path("inputs").toString());
        assertEquals("[{\"name\":\"sum\",\"datatype\":\"FP32\",\"shape\":[-1,3]},{\"name\":\"gt\",\"datatype\":\"BOOL\",\"shape\":[-1,3]},"
                + "{\"name\":\"idx\",\"datatype\":\"INT64\",\"shape\":[-1]},{\"name\":\"nc\",\"datatype\":\"BOOL\",\"shape\":[-1,3]}]",
                m.path("outputs").toString());
        assertEquals(m, json(get("/v2/models/mix/versions/1", "Authorization", auth())));
        JsonNode add = json(get("/v2/models/add", "Authorization", auth()));
        assertEquals("[3,4,5]", add.path("inputs").get(0).path("shape").toString(), "fixed shapes as the model declares them");

        assertError(get("/v2/models/nope", "Authorization", auth()), 404, "unknown model 'nope'");
        assertError(get("/v2/models/mix/versions/2", "Authorization", auth()), 404, "only version is 1");
        assertError(get("/v2/models/mix/other", "Authorization", auth()), 404, "no such endpoint");
        assertError(get("/v2/repository/index", "Authorization", auth()), 404, "no such endpoint");
        HttpResponse<byte[]> wrongMethod = get("/v2/models/mix/infer", "Authorization", auth());
        assertError(wrongMethod, 405, "POST");
        assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElse(""));
    }

    // ------------------------------------------------------------------ inference

    @Test
    void jsonInference() throws Exception {
        Map<String, Object> req = Map.of("id", "req-7",
                "inputs", List.of(
                        input("a", "FP32", List.of(2, 3), List.of(List.of(1, 5, 3), List.of(-2.5, 0, 4))),
                        input("b", "FP32", List.of(2, 3), List.of(2, 2, 2, 2, 2, 2)), // flat and nested both allowed
                        input("c", "BOOL", List.of(2, 3), List.of(true, false, true, false, false, true))));
        HttpResponse<byte[]> r = postJson("/v2/models/mix/infer", req);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.headers().firstValue(InferenceHandler.HEADER_LENGTH).isEmpty());
        JsonNode res = json(r);
        assertEquals("mix", res.path("model_name").asText());
        assertEquals("1", res.path("model_version").asText());
        assertEquals("req-7", res.path("id").asText());
        assertEquals(4, res.path("outputs").size(), "every output when none is asked for");
        JsonNode sum = output(res, "sum");
        assertEquals("FP32", sum.path("datatype").asText());
        assertEquals(List.of(2L, 3L), shape(sum));
        assertEquals("[3.0,7.0,5.0,-0.5,2.0,6.0]", sum.path("data").toString());
        JsonNode gt = output(res, "gt");
        assertEquals("BOOL", gt.path("datatype").asText());
        assertEquals("[false,true,true,false,false,true]", gt.path("data").toString());
        JsonNode idx = output(res, "idx");
        assertEquals("INT64", idx.path("datatype").asText());
        assertEquals(List.of(2L), shape(idx));
        assertEquals("[1,2]", idx.path("data").toString());
        assertEquals("[false,true,false,true,true,false]", output(res, "nc").path("data").toString());

        // another batch size (a free dimension): another graph, same endpoint; one output asked for
        Map<String, Object> one = Map.of(
                "inputs", List.of(input("a", "FP32", List.of(1, 3), List.of(0, 0, 9)), input("b", "FP32", List.of(1, 3), List.of(1, 1, 1)),
                        input("c", "BOOL", List.of(1, 3), List.of(1, 0, 1))),
                "outputs", List.of(Map.of("name", "idx")));
        JsonNode res1 = json(postJson("/v2/models/mix/versions/1/infer", one));
        assertEquals(1, res1.path("outputs").size());
        assertEquals("[2]", output(res1, "idx").path("data").toString());
        assertFalse(res1.has("id"), "no id given, none echoed");
    }

    @Test
    void binaryInference() throws Exception {
        // a and b binary, c as JSON; sum comes back binary, gt as JSON, idx binary by the request-wide default
        Map<String, Object> req = Map.of(
                "parameters", Map.of("binary_data_output", true),
                "inputs", List.of(binaryInput("a", "FP32", List.of(2, 3), 24), binaryInput("b", "FP32", List.of(2, 3), 24),
                        input("c", "BOOL", List.of(2, 3), List.of(false, false, false, true, true, true))),
                "outputs", List.of(Map.of("name", "sum"), Map.of("name", "gt", "parameters", Map.of("binary_data", false)),
                        Map.of("name", "idx")));
        ByteBuffer a = Fixture.floats(1, 5, 3, -2.5f, 0, 4), b = Fixture.floats(0.5f, 0.5f, 0.5f, 1, 1, 1);
        byte[] body = binaryBody(req, a, b);
        HttpResponse<byte[]> r = post("/v2/models/mix/infer", body, "Authorization", auth(),
                InferenceHandler.HEADER_LENGTH, Integer.toString(jsonLength(req)), "Content-Type", "application/octet-stream");
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElse(""));
        int hl = Integer.parseInt(r.headers().firstValue(InferenceHandler.HEADER_LENGTH).orElseThrow());
        JsonNode res = Fixture.MAPPER.readTree(new String(r.body(), 0, hl, StandardCharsets.UTF_8));
        ByteBuffer rest = ByteBuffer.wrap(r.body(), hl, r.body().length - hl).slice().order(ByteOrder.LITTLE_ENDIAN);
        JsonNode sum = output(res, "sum");
        assertEquals(24, sum.path("parameters").path("binary_data_size").asInt());
        assertFalse(sum.has("data"));
        JsonNode idx = output(res, "idx");
        assertEquals(16, idx.path("parameters").path("binary_data_size").asInt());
        assertEquals(40, rest.remaining(), "binary outputs follow the JSON in output order, nothing else");
        float[] s = new float[6];
        for (int i = 0; i < 6; i++) s[i] = rest.getFloat(i * 4);
        assertArrayEquals(new float[] {1.5f, 5.5f, 3.5f, -1.5f, 1, 5}, s);
        assertEquals(1, rest.getLong(24));
        assertEquals(2, rest.getLong(32));
        assertEquals("[true,true,true,false,false,true]", output(res, "gt").path("data").toString());
    }

    /** Decodes every output of a response (binary or JSON) as a tensor. */
    static Map<String, OnnxTensor> outputs(HttpResponse<byte[]> r) throws Exception {
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        int hl = r.headers().firstValue(InferenceHandler.HEADER_LENGTH).map(Integer::parseInt).orElse(r.body().length);
        JsonNode res = Fixture.MAPPER.readTree(new String(r.body(), 0, hl, StandardCharsets.UTF_8));
        int offset = hl;
        Map<String, OnnxTensor> out = new java.util.LinkedHashMap<>();
        for (JsonNode o : res.path("outputs")) {
            ElementType t = OipCodec.elementType(o.path("datatype").asText());
            long[] shape = shape(o).stream().mapToLong(Long::longValue).toArray();
            if (o.path("parameters").has("binary_data_size")) {
                int n = o.path("parameters").path("binary_data_size").asInt();
                out.put(o.path("name").asText(), OnnxTensor.copyOf(t, shape, ByteBuffer.wrap(r.body(), offset, n)));
                offset += n;
            } else {
                ArrayNode d = (ArrayNode) o.path("data");
                double[] v = new double[d.size()];
                for (int i = 0; i < v.length; i++) v[i] = d.get(i).asDouble();
                out.put(o.path("name").asText(), OnnxTensor.ofDoubles(t, shape, v));
            }
        }
        return out;
    }

    static Map<String, Object> jsonTensor(String name, OnnxTensor t) {
        List<Object> data = new java.util.ArrayList<>();
        for (int i = 0; i < t.size(); i++) data.add(t.type().isFloat() ? (Object) t.getDouble(i) : (Object) t.getLong(i));
        return Map.of("name", name, "datatype", OipCodec.datatype(t.type()), "shape", t.shape(), "data", data);
    }

    static void assertClose(OnnxTensor want, OnnxTensor got) {
        assertEquals(want.type(), got.type());
        assertArrayEquals(want.shape(), got.shape());
        for (int i = 0; i < want.size(); i++) {
            double w = want.getDouble(i), g = got.getDouble(i);
            // the ONNX test runner's tolerance
            assertTrue(Math.abs(w - g) <= 1e-7 + 1e-3 * Math.abs(w), "element " + i + ": want " + w + ", got " + g);
        }
    }

    @Test
    void onnxNodeModelsGiveTheReferenceOutputs() throws Exception {
        Path add = NODE.resolve("test_add/test_data_set_0");
        OnnxTensor x = TensorProtos.read(add.resolve("input_0.pb")), y = TensorProtos.read(add.resolve("input_1.pb"));
        OnnxTensor want = TensorProtos.read(add.resolve("output_0.pb"));
        // JSON
        Map<String, Object> req = Map.of("inputs", List.of(jsonTensor("x", x), jsonTensor("y", y)));
        assertClose(want, outputs(postJson("/v2/models/add/infer", req)).get("sum"));
        // binary in and out
        int n = (int) x.byteLength();
        Map<String, Object> bin = Map.of("inputs", List.of(binaryInput("x", "FP32", List.of(3, 4, 5), n), binaryInput("y", "FP32", List.of(3, 4, 5), n)),
                "outputs", List.of(Map.of("name", "sum", "parameters", Map.of("binary_data", true))));
        HttpResponse<byte[]> r = post("/v2/models/add/infer", binaryBody(bin, x.data(), y.data()), "Authorization", auth(),
                InferenceHandler.HEADER_LENGTH, Integer.toString(jsonLength(bin)));
        OnnxTensor got = outputs(r).get("sum");
        assertClose(want, got);
        assertEquals(want.data(), got.data(), "float32 addition is exact: the same bits");

        Path am = NODE.resolve("test_argmax_default_axis_example/test_data_set_0");
        OnnxTensor data = TensorProtos.read(am.resolve("input_0.pb"));
        OnnxTensor wantIdx = TensorProtos.read(am.resolve("output_0.pb"));
        OnnxTensor idx = outputs(postJson("/v2/models/argmax/infer", Map.of("inputs", List.of(jsonTensor("data", data))))).get("result");
        assertTrue(wantIdx.contentEquals(idx), "want " + wantIdx + ", got " + idx);
    }

    // ------------------------------------------------------------------ bad requests

    @Test
    void badRequestsGetClearErrorsAndTheServiceStaysHealthy() throws Exception {
        String infer = "/v2/models/mix/infer";
        List<Object> ab = List.of(input("a", "FP32", List.of(1, 3), List.of(1, 2, 3)), input("b", "FP32", List.of(1, 3), List.of(1, 2, 3)));
        Map<String, Object> c = input("c", "BOOL", List.of(1, 3), List.of(true, true, false));
        assertError(post(infer, "{\"inputs\": [".getBytes(), "Authorization", auth()), 400, "not valid JSON");
        assertError(post(infer, "[1,2]".getBytes(), "Authorization", auth()), 400, "must be a JSON object");
        assertError(post(infer, "{\"inputs\":[],\"inputs\":[]}".getBytes(), "Authorization", auth()), 400, "not valid JSON");
        assertError(post(infer, "{} {}".getBytes(), "Authorization", auth()), 400, "JSON");
        assertError(postJson(infer, Map.of("inputs", List.of())), 400, "'inputs' is required");
        assertError(postJson(infer, Map.of("inputs", ab)), 400, "missing inputs [c]");
        assertError(postJson(infer, Map.of("inputs", List.of(ab.get(0), ab.get(1), c, input("z", "FP32", List.of(1), List.of(1))))),
                400, "'z' is not an input");
        assertError(postJson(infer, Map.of("inputs", List.of(ab.get(0), ab.get(0), c))), 400, "given twice");
        assertError(postJson(infer, Map.of("inputs", List.of(ab.get(0), input("b", "INT32", List.of(1, 3), List.of(1, 2, 3)), c))),
                400, "input 'b' must be FP32, got INT32");
        assertError(postJson(infer, Map.of("inputs", List.of(ab.get(0), input("b", "FP32", List.of(1, 4), List.of(1, 2, 3, 4)), c))),
                400, "does not fit the model's [-1, 3]");
        assertError(postJson(infer, Map.of("inputs", List.of(ab.get(0), input("b", "FP32", List.of(1, 3), List.of(1, 2)), c))),
                400, "has 2 elements but shape [1, 3] needs 3");
        assertError(postJson(infer, Map.of("inputs", List.of(ab.get(0), input("b", "FP32", List.of(1, 3), List.of("x", "y", "z")), c))),
                400, "strings (BYTES tensors) are not supported");
        assertError(postJson(infer, Map.of("inputs", List.of(ab.get(0), input("b", "STRING", List.of(1, 3), List.of(1, 2, 3)), c))),
                400, "datatype 'STRING' is not supported");
        assertError(postJson(infer, Map.of("inputs", List.of(ab.get(0), ab.get(1), input("c", "BOOL", List.of(1, 3), List.of(1, 2, 0))))),
                400, "BOOL data must be true/false");
        assertError(postJson(infer, Map.of("inputs", List.of(ab.get(0), ab.get(1), input("c", "BOOL", List.of(0, 3), List.of())))),
                400, "every dimension must be in 1..2^32-1");
        assertError(postJson(infer, Map.of("inputs", List.of(ab.get(0), ab.get(1), Map.of("name", "c", "datatype", "BOOL", "data", List.of(1))))),
                400, "'shape' is required");
        assertError(postJson(infer, Map.of("inputs", ab.subList(0, 2), "outputs", List.of(Map.of("name", "nope")))), 400, "'nope' is not an output");
        assertError(postJson(infer, Map.of("inputs", List.of(ab.get(0), ab.get(1), c), "outputs", List.of(Map.of("name", "sum"), Map.of("name", "sum")))),
                400, "requested twice");
        assertError(postJson(infer, Map.of("inputs", List.of(ab.get(0), ab.get(1), c),
                "outputs", List.of(Map.of("name", "sum", "parameters", Map.of("classification", 2))))), 400, "classification");
        // integer data: exact, range-checked
        assertError(postJson("/v2/models/argmax/infer", Map.of("inputs", List.of(input("data", "FP32", List.of(2, 2), List.of(1, true, 2, 3))))),
                400, "is a boolean");

        // binary data: lengths must agree exactly
        Map<String, Object> bin = Map.of("inputs", List.of(binaryInput("a", "FP32", List.of(1, 3), 12), ab.get(1), c));
        byte[] good = binaryBody(bin, Fixture.floats(1, 2, 3));
        String hl = Integer.toString(jsonLength(bin));
        assertEquals(200, post(infer, good, "Authorization", auth(), InferenceHandler.HEADER_LENGTH, hl).statusCode());
        assertError(post(infer, binaryBody(bin, Fixture.floats(1, 2)), "Authorization", auth(), InferenceHandler.HEADER_LENGTH, hl),
                400, "only 8 bytes of binary data are left");
        assertError(post(infer, binaryBody(bin, Fixture.floats(1, 2, 3, 4)), "Authorization", auth(), InferenceHandler.HEADER_LENGTH, hl),
                400, "4 bytes follow the JSON that no input's binary_data_size accounts for");
        assertError(post(infer, good, "Authorization", auth(), InferenceHandler.HEADER_LENGTH, "999999"), 400, "the body has");
        assertError(post(infer, good, "Authorization", auth(), InferenceHandler.HEADER_LENGTH, "-1"), 400, "non-negative integer");
        Map<String, Object> wrongSize = Map.of("inputs", List.of(binaryInput("a", "FP32", List.of(1, 3), 8), ab.get(1), c));
        assertError(post(infer, binaryBody(wrongSize, Fixture.floats(1, 2)), "Authorization", auth(),
                InferenceHandler.HEADER_LENGTH, Integer.toString(jsonLength(wrongSize))), 400, "takes exactly 12 bytes");
        Map<String, Object> boolBin = Map.of("inputs", List.of(ab.get(0), ab.get(1), binaryInput("c", "BOOL", List.of(1, 3), 3)));
        assertError(post(infer, binaryBody(boolBin, ByteBuffer.wrap(new byte[] {0, 1, 7})), "Authorization", auth(),
                InferenceHandler.HEADER_LENGTH, Integer.toString(jsonLength(boolBin))), 400, "bytes 0 or 1, got 7");
        assertError(post(infer, good, "Authorization", auth(), InferenceHandler.HEADER_LENGTH, hl, "Content-Encoding", "gzip"), 415, "Content-Encoding");

        // limits: elements, rank and body size, checked before allocation
        assertError(postJson(infer, Map.of("inputs", List.of(binaryInput("a", "FP32", List.of(1 << 11, 1 << 10), 1 << 23)))), 413, "elements");
        assertError(postJson(infer, Map.of("inputs", List.of(input("a", "FP32", List.of(1, 1, 1, 1, 1, 1, 1, 1, 1), List.of(1))))), 413, "rank");
        assertError(postJson(infer, Map.of("inputs", List.of(input("a", "FP32", List.of(1 << 20), new int[(1 << 20) + 1])))), 413, "more than");
        // a declared length over the limit is refused before a byte is read; a chunked body once it passes the limit
        var declared = fx.raw("POST " + infer + " HTTP/1.1", "Host: " + fx.host(), "Authorization: " + auth(),
                "Content-Length: " + ((5 << 20) + 1), "Connection: close");
        assertEquals(413, declared.status(), declared.raw());
        assertTrue(declared.body().contains("exceeds the limit"), declared.raw());
        int chunk = (5 << 20) + 100;
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        chunked.write(("POST " + infer + " HTTP/1.1\r\nHost: " + fx.host() + "\r\nAuthorization: " + auth()
                + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + Integer.toHexString(chunk) + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        chunked.write(new byte[chunk]);
        chunked.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        var streamed = fx.rawBytes(chunked.toByteArray());
        assertEquals(413, streamed.status(), streamed.raw().substring(0, Math.min(300, streamed.raw().length())));

        // still healthy
        assertEquals(200, get("/v2/health/ready").statusCode());
        assertEquals(200, post(infer, good, "Authorization", auth(), InferenceHandler.HEADER_LENGTH, hl).statusCode());
    }

    // ------------------------------------------------------------------ authentication

    @Test
    void everythingButHealthNeedsTheToken() throws Exception {
        byte[] body = Fixture.MAPPER.writeValueAsBytes(Map.of("inputs", List.of()));
        for (String p : List.of("/v2", "/v2/models/mix", "/v2/models/mix/ready", "/v2/models/nope")) {
            HttpResponse<byte[]> r = get(p);
            assertError(r, 401, "Authorization: Bearer");
            assertEquals("Bearer realm=\"anneau\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
            assertError(get(p, "Authorization", "Bearer wrong-token"), 401, "local token");
            assertError(get(p, "Authorization", token), 401, "Bearer");
        }
        assertError(post("/v2/models/mix/infer", body), 401, "Bearer");
        assertError(post("/v2/models/mix/infer", body, "Authorization", "Basic " + token), 401, "Bearer");
        // an origin's pairing token belongs to its pages, not to programs
        assertError(get("/v2", "Authorization", "Bearer " + pageToken), 401, "local token");
    }

    @Test
    void pagesUseTheirOriginsTokenThroughCors() throws Exception {
        HttpResponse<byte[]> ok = get("/v2", "Authorization", "Bearer " + pageToken, "Origin", Fixture.PAGE);
        assertEquals(200, ok.statusCode());
        assertEquals(Fixture.PAGE, ok.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(ok.headers().allValues("Vary").toString().contains("Origin"));
        assertTrue(ok.headers().firstValue("Access-Control-Allow-Credentials").isEmpty());
        // the local token is not a page's token
        HttpResponse<byte[]> local = get("/v2", "Authorization", auth(), "Origin", Fixture.PAGE);
        assertError(local, 401, "origin's token");
        assertTrue(local.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        // unpaired, opaque and duplicate origins: refused before anything else, unreadable (no CORS)
        for (String origin : List.of(Fixture.OTHER, "null", "https://app.example/path")) {
            HttpResponse<byte[]> r = get("/v2", "Authorization", "Bearer " + pageToken, "Origin", origin);
            assertEquals(403, r.statusCode(), origin);
            assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), origin);
            assertEquals(403, get("/v2/health/live", "Origin", origin).statusCode(), origin);
        }
        // a no-cors request from another site (an <img>, a form) never reaches the endpoint
        assertError(get("/v2", "Authorization", "Bearer " + pageToken, "Origin", Fixture.PAGE, "Sec-Fetch-Site", "cross-site",
                "Sec-Fetch-Mode", "no-cors"), 403, "CORS");
        assertEquals(200, get("/v2", "Authorization", "Bearer " + pageToken, "Origin", Fixture.PAGE, "Sec-Fetch-Site", "cross-site",
                "Sec-Fetch-Mode", "cors").statusCode());
        // preflight: paired origins only; POST and the extension header allowed
        HttpRequest pre = HttpRequest.newBuilder(uri("/v2/models/mix/infer")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", Fixture.PAGE).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, inference-header-content-length")
                .header("Access-Control-Request-Private-Network", "true").build();
        HttpResponse<byte[]> p = HTTP.send(pre, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(204, p.statusCode());
        assertEquals(Fixture.PAGE, p.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(p.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
        assertTrue(p.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("inference-header-content-length"));
        assertEquals("true", p.headers().firstValue("Access-Control-Allow-Private-Network").orElse(""));
        HttpRequest foreign = HttpRequest.newBuilder(uri("/v2/models/mix/infer")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", Fixture.OTHER).header("Access-Control-Request-Method", "POST").build();
        HttpResponse<byte[]> f = HTTP.send(foreign, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(403, f.statusCode());
        assertTrue(f.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        // a paired page can infer, and read errors
        Map<String, Object> req = Map.of("inputs", List.of(input("data", "FP32", List.of(2, 2), List.of(3, 1, 0, 5))));
        HttpResponse<byte[]> r = post("/v2/models/argmax/infer", Fixture.MAPPER.writeValueAsBytes(req), "Authorization", "Bearer " + pageToken,
                "Origin", Fixture.PAGE);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(Fixture.PAGE, r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals(InferenceHandler.HEADER_LENGTH, r.headers().firstValue("Access-Control-Expose-Headers").orElse(""));
    }

    @Test
    void foreignHostsAreRefusedBeforeTheEndpoint() throws Exception {
        var r = fx.raw("GET /v2/health/live HTTP/1.1", "Host: rebind.test:" + fx.port, "Connection: close");
        assertEquals(403, r.status(), r.raw());
        r = fx.raw("POST /v2/models/mix/infer HTTP/1.1", "Host: 127.0.0.1.evil.test:" + fx.port, "Authorization: Bearer " + token,
                "Content-Length: 0", "Connection: close");
        assertEquals(403, r.status(), r.raw());
        r = fx.raw("GET /v2 HTTP/1.1", "Host: " + fx.host(), "Host: evil.test:" + fx.port, "Authorization: Bearer " + token, "Connection: close");
        assertTrue(r.status() == 400 || r.status() == 403, r.raw()); // Jetty itself refuses duplicate Host headers
        assertFalse(r.body().contains("model"), r.raw());
        r = fx.raw("GET /v2 HTTP/1.1", "Host: " + fx.host(), "Authorization: Bearer " + token, "Authorization: Bearer x", "Connection: close");
        assertEquals(401, r.status(), "two Authorization headers: neither counts\n" + r.raw());
    }

    @Test
    void theLocalTokenIsOwnerOnlyAndRotates() throws Exception {
        Path file = fx.dir.resolve(LocalToken.FILE_NAME);
        assertEquals(token, Files.readString(file).trim());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(token.length() >= 43, "256 bits");
        assertEquals(token, LocalToken.loadOrCreate(fx.dir).value(), "the same token on every start");
        try (Fixture other = new Fixture()) {
            assertNotEquals(token, other.server.localToken(), "each state directory has its own");
            // a token file others could read is not trusted
            Path f = other.dir.resolve(LocalToken.FILE_NAME);
            String before = other.server.localToken();
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            String after = LocalToken.loadOrCreate(other.dir).value();
            assertNotEquals(before, after);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            // the running service picks up a changed file within a second
            assertEquals(200, statusWithin(other, after, 200));
            // rotation: the old token stops working, the new one works
            String rotated = LocalToken.rotate(other.dir).value();
            assertEquals(401, statusWithin(other, after, 401));
            assertEquals(200, statusWithin(other, rotated, 200));
        }
    }

    /** GET /v2 with {@code token} until the status is {@code want} or 5 s pass; returns the last status. */
    private static int statusWithin(Fixture f, String token, int want) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            int status = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.port + "/v2"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == want || System.nanoTime() > deadline) return status;
            Thread.sleep(100);
        }
    }

    // ------------------------------------------------------------------ registration and deadline

    @Test
    void registrationChecksNamesAndModels() {
        MLContextOptions cpu = MLContextOptions.defaults().withBackend("cpu");
        assertThrows(IllegalArgumentException.class, () -> fx.server.models().register("../x", NODE.resolve("test_add/model.onnx"), cpu));
        assertThrows(IllegalArgumentException.class, () -> fx.server.models().register("add", NODE.resolve("test_add/model.onnx"), cpu));
        assertThrows(RuntimeException.class, () -> fx.server.models().register("missing", NODE.resolve("no_such/model.onnx"), cpu));
        // a float64 input: WebNN has no such type, so the model is refused when it is registered, not on its first request
        GraphProto g = GraphProto.newBuilder().setName("f64").addInput(info("x", 11, "N")).addNode(node("Identity", List.of("x"), "y"))
                .addOutput(info("y", 11, "N")).build();
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(g).build();
        RuntimeException e = assertThrows(RuntimeException.class, () -> fx.server.models().register("f64", OnnxModel.load(m.toByteArray()), cpu));
        assertTrue(e.getMessage().contains("input 'x' has type float64"), e.getMessage());
        assertNull(fx.server.models().get("f64"));
    }

    /** y = a x b with a: FP32 [N, K], b: FP32 [K, M] (all free). */
    static ModelProto matmulModel() {
        GraphProto g = GraphProto.newBuilder().setName("mm").addInput(info("a", 1, "N", "K")).addInput(info("b", 1, "K", "M"))
                .addNode(node("MatMul", List.of("a", "b"), "y")).addOutput(info("y", 1, "N", "M")).build();
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(g).build();
    }

    @Test
    void aRunPastTheDeadlineFailsAtTheDeadlineAndTheModelRecovers() throws Exception {
        // a size whose run (import included) takes at least 1.5 s on this machine, timed on the Java API
        OnnxModel mm = OnnxModel.load(matmulModel().toByteArray());
        int n = 256;
        long runMs;
        var ctx = dev.anneau.webnn.ML.createContextNow(MLContextOptions.defaults().withBackend("cpu"));
        try (var session = new dev.anneau.onnx.OnnxSession(ctx, mm)) {
            while (true) {
                OnnxTensor sq = OnnxTensor.zeros(ElementType.FLOAT, n, n);
                long t0 = System.nanoTime();
                session.run(Map.of("a", sq, "b", sq));
                runMs = (System.nanoTime() - t0) / 1_000_000;
                if (runMs >= 1500 || n >= 4096) break;
                n *= 2;
            }
        } finally {
            ctx.destroy();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(runMs >= 1000, "the machine multiplies " + n + "x" + n + " in " + runMs + " ms");
        try (Fixture slow = new Fixture(Limits.defaults().withTimeouts(Duration.ofMillis(300), Duration.ofMinutes(1), Duration.ofSeconds(5)))) {
            slow.server.models().register("mm", mm, MLContextOptions.defaults().withBackend("cpu"));
            String t = slow.server.localToken();
            int bytes = n * n * 4;
            Map<String, Object> big = Map.of("inputs", List.of(binaryInput("a", "FP32", List.of(n, n), bytes), binaryInput("b", "FP32", List.of(n, n), bytes)));
            byte[] body = binaryBody(big, ByteBuffer.allocate(bytes), ByteBuffer.allocate(bytes));
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slow.port + "/v2/models/mm/infer"))
                    .header("Authorization", "Bearer " + t).header(InferenceHandler.HEADER_LENGTH, Integer.toString(jsonLength(big)))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            assertError(r, 503, "did not finish within 300 ms");
            assertTrue(elapsedMs < 300 + runMs / 2, "answered after " + elapsedMs + " ms; the whole run takes " + runMs + " ms");
            // the model has a new context: a small product runs at once, while the old run may still be unwinding
            Map<String, Object> small = Map.of("inputs", List.of(input("a", "FP32", List.of(1, 2), List.of(1, 2)),
                    input("b", "FP32", List.of(2, 1), List.of(3, 4))));
            HttpResponse<byte[]> ok = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slow.port + "/v2/models/mm/infer"))
                    .header("Authorization", "Bearer " + t).POST(HttpRequest.BodyPublishers.ofByteArray(Fixture.MAPPER.writeValueAsBytes(small)))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, ok.statusCode(), new String(ok.body(), StandardCharsets.UTF_8));
            assertEquals("[11.0]", output(json(ok), "y").path("data").toString());
            assertTrue(slow.server.models().get("mm").ready());
        }
    }
}
