package dev.anneau.conformance.api;

import static dev.anneau.conformance.api.Api.await;
import static dev.anneau.conformance.api.Api.context;
import static dev.anneau.conformance.api.Api.readFloats;
import static dev.anneau.conformance.api.Api.rejects;
import static dev.anneau.conformance.api.Api.tensor;
import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.INT8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.anneau.conformance.BuilderCalls;
import dev.anneau.conformance.validation.SubtestRunner;
import dev.anneau.conformance.validation.ValidationSuite;
import dev.anneau.conformance.validation.ValidationSuite.MalformedSuiteException;
import dev.anneau.webnn.MLBatchNormalizationOptions;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLEluOptions;
import dev.anneau.webnn.MLGemmOptions;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLHardSigmoidOptions;
import dev.anneau.webnn.MLInstanceNormalizationOptions;
import dev.anneau.webnn.MLLayerNormalizationOptions;
import dev.anneau.webnn.MLLeakyReluOptions;
import dev.anneau.webnn.MLLinearOptions;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLResample2dOptions;
import dev.anneau.webnn.MLTensor;
import dev.anneau.webnn.NotSupportedError;
import dev.anneau.webnn.TypeError;
import dev.anneau.webnn.WebNNException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input never crashes the JVM or hangs: overflowing and zero-sized shapes, NaN options,
 * unknown operators, malformed suite files. Each gives a WebNN error of the right type (and
 * never an ArithmeticException, NegativeArraySizeException, OutOfMemoryError...). Cases for an
 * operator that is not implemented yet are skipped until it is.
 */
class RobustnessTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final long U32 = 0xFFFF_FFFFL;

    private MLContext ctx;
    private MLGraphBuilder b;

    @BeforeEach
    void open() {
        ctx = context();
        b = new MLGraphBuilder(ctx);
    }

    @AfterEach
    void close() { ctx.destroy(); }

    private MLOperand in(MLOperandDataType t, long... shape) {
        return b.input("in" + System.nanoTime(), new MLOperandDescriptor(t, shape));
    }

    /** Asserts {@code call} throws a TypeError promptly; skips when the operator is not implemented yet. */
    private static void typeError(String what, Supplier<?> call) {
        assertTimeoutPreemptively(LIMIT, () -> {
            try {
                Object r = call.get();
                fail(what + ": expected a TypeError, got " + (r instanceof MLOperand o ? o + " " + Arrays.toString(o.shape()) : r));
            } catch (NotSupportedError e) {
                Assumptions.assumeFalse(String.valueOf(e.getMessage()).contains("not implemented yet"), what + ": " + e.getMessage());
                fail(what + ": expected a TypeError, got " + e);
            } catch (TypeError e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), what + ": the TypeError has no message");
            } catch (WebNNException e) {
                fail(what + ": expected a TypeError, got " + e);
            } catch (RuntimeException | Error e) {
                throw new AssertionError(what + ": expected a TypeError, got " + e, e);
            }
        }, what);
    }

    // ------------------------------------------------------------------ shapes

    @Test
    void descriptorsWhoseSizeOverflowsAreTypeErrors() {
        long[][] shapes = {
            {U32, U32, U32},                       // overflows long
            {U32, U32},                            // fits long, far over the byte limit
            {1L << 31, 2},                         // element count overflows int
            {65536, 65536},                        // 2^32 elements
            {1L << 20, 1L << 20, 1L << 20, 1L << 20}, // 2^80
            {U32 + 1},                             // not an unsigned long
            {Long.MAX_VALUE},
            {-1, -1},                              // negative * negative = positive
            {Long.MIN_VALUE, 2},
        };
        for (long[] s : shapes) {
            for (MLOperandDataType t : List.of(FLOAT32, FLOAT16, INT8, MLOperandDataType.INT4)) {
                String what = t + Arrays.toString(s);
                typeError("input " + what, () -> b.input("x" + System.nanoTime(), new MLOperandDescriptor(t, s)));
                typeError("constant " + what, () -> b.constant(new MLOperandDescriptor(t, s), ByteBuffer.allocate(8)));
                rejects("TypeError", ctx.createTensor(Api.desc(t, true, true, s)));
                rejects("TypeError", ctx.createConstantTensor(new MLOperandDescriptor(t, s), ByteBuffer.allocate(8)));
            }
        }
    }

    @Test
    void zeroSizedDimensionsAreTypeErrors() {
        for (long[] s : new long[][] {{0}, {2, 0}, {0, U32}, {3, 0, 5}}) {
            typeError("input " + Arrays.toString(s), () -> b.input("x" + System.nanoTime(), new MLOperandDescriptor(FLOAT32, s)));
            typeError("constant " + Arrays.toString(s), () -> b.constant(new MLOperandDescriptor(FLOAT32, s), new float[0]));
            rejects("TypeError", ctx.createTensor(Api.desc(FLOAT32, true, true, s)));
        }
        MLOperand x = in(FLOAT32, 2, 3);
        typeError("reshape to [0]", () -> b.reshape(x, new long[] {0}));
        typeError("reshape to [6, 0]", () -> b.reshape(x, new long[] {6, 0}));
        typeError("expand to [2, 0]", () -> b.expand(x, new long[] {2, 0}));
        typeError("slice of size 0", () -> b.slice(x, new int[] {0, 0}, new int[] {0, 3}));
        typeError("tile by 0", () -> b.tile(x, new int[] {0, 1}));
        typeError("split into 0", () -> b.split(x, 0));
        typeError("resample2d to size 0", () -> b.resample2d(in(FLOAT32, 1, 1, 4, 4), new MLResample2dOptions(null, null, new int[] {0, 2}, null, null)));
    }

    @Test
    void operatorOutputsThatOverflowAreTypeErrors() {
        MLOperand x = in(FLOAT32, 2, 3);
        typeError("reshape to 2^96 elements", () -> b.reshape(x, new long[] {U32, U32, U32}));
        typeError("expand to [U32, U32, 3]", () -> b.expand(x, new long[] {U32, U32, 3}));
        typeError("expand to [U32 + 1, 3]", () -> b.expand(x, new long[] {U32 + 1, 3}));
        MLOperand big = in(FLOAT32, 1L << 20, 1);
        typeError("tile to 2^40 elements", () -> b.tile(big, new int[] {1, 1 << 20}));
        typeError("tile by MAX_INT", () -> b.tile(big, new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE}));
        typeError("pad by MAX_INT", () -> b.pad(x, new int[] {Integer.MAX_VALUE, 0}, new int[] {Integer.MAX_VALUE, 0}));
        typeError("matmul to 2^40 elements", () -> b.matmul(in(FLOAT32, 1L << 20, 1), in(FLOAT32, 1, 1L << 20)));
        typeError("resample2d by huge scales", () -> b.resample2d(in(FLOAT32, 1, 1, 4, 4),
                new MLResample2dOptions(null, new float[] {1e30f, 1e30f}, null, null, null)));
        typeError("concat past the byte limit", () -> b.concat(List.of(in(FLOAT32, 1L << 28), in(FLOAT32, 1L << 28), in(FLOAT32, 1L << 28)), 0));
    }

    // ------------------------------------------------------------------ options

    @Test
    void nanAndInfiniteFloatOptionsAreTypeErrors() {
        // WebIDL 'float' (restricted): NaN and infinities are a TypeError. Every case is tried; all failures are listed.
        List<String> problems = new ArrayList<>();
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            MLOperand x = in(FLOAT32, 2, 3);
            MLOperand nchw = in(FLOAT32, 1, 2, 3, 3);
            Map<String, Supplier<?>> cases = new java.util.LinkedHashMap<>();
            cases.put("elu alpha", () -> b.elu(x, new MLEluOptions(bad, null)));
            cases.put("leakyRelu alpha", () -> b.leakyRelu(x, new MLLeakyReluOptions(bad, null)));
            cases.put("linear alpha", () -> b.linear(x, new MLLinearOptions(bad, null, null)));
            cases.put("linear beta", () -> b.linear(x, new MLLinearOptions(null, bad, null)));
            cases.put("hardSigmoid alpha", () -> b.hardSigmoid(x, new MLHardSigmoidOptions(bad, null, null)));
            cases.put("hardSigmoid beta", () -> b.hardSigmoid(x, new MLHardSigmoidOptions(null, bad, null)));
            cases.put("gemm alpha", () -> b.gemm(in(FLOAT32, 2, 3), in(FLOAT32, 3, 2), new MLGemmOptions(null, bad, null, null, null, null)));
            cases.put("gemm beta", () -> b.gemm(in(FLOAT32, 2, 3), in(FLOAT32, 3, 2), new MLGemmOptions(null, null, bad, null, null, null)));
            cases.put("batchNormalization epsilon", () -> b.batchNormalization(nchw, in(FLOAT32, 2), in(FLOAT32, 2),
                    new MLBatchNormalizationOptions(null, null, null, bad, null)));
            cases.put("instanceNormalization epsilon", () -> b.instanceNormalization(nchw,
                    new MLInstanceNormalizationOptions(null, null, bad, null, null)));
            cases.put("layerNormalization epsilon", () -> b.layerNormalization(nchw,
                    new MLLayerNormalizationOptions(null, null, null, bad, null)));
            cases.put("resample2d scale", () -> b.resample2d(nchw,
                    new MLResample2dOptions(null, new float[] {(float) bad, 1f}, null, null, null)));
            for (Map.Entry<String, Supplier<?>> c : cases.entrySet()) {
                try {
                    typeError(c.getKey() + " " + bad, c.getValue());
                } catch (AssertionError e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) fail(problems.size() + " cases accepted a non-finite float option:\n" + String.join("\n", problems));
    }

    @Test
    void nanOptionsThroughTheAdapterAreTypeErrors() {
        MLOperand x = in(FLOAT32, 2);
        typeError("elu {alpha: NaN}", () -> BuilderCalls.call(b, "elu", new ArrayList<>(List.of(x, Map.of("alpha", Double.NaN)))));
        typeError("elu {alpha: 'NaN'}", () -> BuilderCalls.call(b, "elu", new ArrayList<>(List.of(x, Map.of("alpha", "NaN")))));
        typeError("softmax axis NaN", () -> BuilderCalls.call(b, "softmax", new ArrayList<>(List.of(x, Double.NaN))));
        typeError("softmax axis 'abc'", () -> BuilderCalls.call(b, "softmax", new ArrayList<>(List.of(x, "abc"))));
        typeError("softmax axis -1", () -> BuilderCalls.call(b, "softmax", new ArrayList<>(List.of(x, -1))));
        typeError("softmax axis 2^32", () -> BuilderCalls.call(b, "softmax", new ArrayList<>(List.of(x, 1L << 32))));
        typeError("reduceSum axes [NaN]", () -> BuilderCalls.call(b, "reduceSum", new ArrayList<>(List.of(x, Map.of("axes", List.of(Double.NaN))))));
        typeError("transpose permutation 'x'", () -> BuilderCalls.call(b, "transpose", new ArrayList<>(List.of(x, Map.of("permutation", "x")))));
    }

    @Test
    void badArgumentsThroughTheAdapterAreTypeErrors() {
        typeError("unknown operator", () -> BuilderCalls.call(b, "noSuchOperator", new ArrayList<>(List.of(in(FLOAT32, 2)))));
        typeError("empty operator name", () -> BuilderCalls.call(b, "", new ArrayList<>()));
        typeError("relu without input", () -> BuilderCalls.call(b, "relu", new ArrayList<>()));
        typeError("relu of a number", () -> BuilderCalls.call(b, "relu", new ArrayList<>(List.of(1.5))));
        typeError("relu of a string", () -> BuilderCalls.call(b, "relu", new ArrayList<>(List.of("x"))));
        List<Object> nullArg = new ArrayList<>();
        nullArg.add(null);
        typeError("relu of undefined", () -> BuilderCalls.call(b, "relu", nullArg));
        typeError("relu with options that are not a dictionary", () -> BuilderCalls.call(b, "relu", new ArrayList<>(List.of(in(FLOAT32, 2), 7))));
        typeError("concat of a non-list", () -> BuilderCalls.call(b, "concat", new ArrayList<>(List.of(in(FLOAT32, 2), 0))));
        typeError("cast to int16", () -> BuilderCalls.call(b, "cast", new ArrayList<>(List.of(in(FLOAT32, 2), "int16"))));
        // the label reaches conversion errors, too
        try {
            BuilderCalls.call(b, "relu", new ArrayList<>(List.of("x", Map.of("label", "my_relu"))));
            fail("relu('x') succeeded");
        } catch (TypeError e) {
            assertTrue(e.getMessage().contains("[my_relu]"), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ graphs

    @Test
    void aVeryDeepGraphBuildsAndRunsWithoutStackOverflow() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            MLOperand x = b.input("x", new MLOperandDescriptor(FLOAT32, 3));
            MLOperand y = x;
            for (int i = 0; i < 20_000; i++) y = b.relu(y);
            MLGraph g = await(b.build(Map.of("y", y)));
            MLTensor in = tensor(ctx, FLOAT32, false, true, 3), out = tensor(ctx, FLOAT32, true, false, 3);
            ctx.writeTensor(in, new float[] {-1, 0.5f, 2});
            ctx.dispatch(g, Map.of("x", in), Map.of("y", out));
            assertArrayEquals(new float[] {0, 0.5f, 2}, readFloats(ctx, out));
        });
    }

    @Test
    void aFailedDispatchDoesNotWedgeTheContext() {
        // binding errors are synchronous; the context keeps working afterwards
        MLGraph g = Api.reluGraph(ctx, 2);
        MLTensor in = tensor(ctx, FLOAT32, false, true, 2), out = tensor(ctx, FLOAT32, true, false, 2);
        MLTensor wrong = tensor(ctx, FLOAT32, true, true, 3);
        for (int i = 0; i < 100; i++) {
            Api.throwsError("TypeError", () -> ctx.dispatch(g, Map.of("x", wrong), Map.of("y", out)));
            Api.throwsError("TypeError", () -> ctx.dispatch(g, Map.of("x", in), Map.of("y", wrong)));
        }
        ctx.writeTensor(in, new float[] {-3, 3});
        ctx.dispatch(g, Map.of("x", in), Map.of("y", out));
        assertArrayEquals(new float[] {0, 3}, readFloats(ctx, out));
    }

    // ------------------------------------------------------------------ suite files

    @Test
    void malformedValidationJsonGivesAClearError() {
        String[][] cases = {
            {"{not json", "not valid JSON"},
            {"{}", "top level must be an array"},
            {"[{\"file\": \"a.js\"}]", "'tests' must be an array"},
            {"[{\"tests\": []}]", "'file' must be a string"},
            {"[{\"file\": \"a.js\", \"tests\": [{\"calls\": []}]}]", "'name' must be a string"},
            {"[{\"file\": \"a.js\", \"tests\": [{\"name\": \"t\", \"calls\": [{\"args\": []}]}]}]", "'method' must be a string"},
            {"[{\"file\": \"a.js\", \"tests\": [{\"name\": \"t\", \"calls\": [{\"method\": \"relu\", \"args\": 5}]}]}]", "'args' must be an array"},
            {"[{\"file\": \"a.js\", \"tests\": [{\"name\": \"t\", \"calls\": [{\"method\": \"relu\", \"expect\": {\"weird\": 1}}]}]}]", "unknown expectation"},
            {"[{\"file\": \"a.js\", \"tests\": [{\"name\": \"t\", \"calls\": [{\"method\": \"relu\", \"expect\": {\"output\": {\"dataType\": \"float32\"}}}]}]}]", "expected {dataType, shape}"},
        };
        try {
            ValidationSuite.load(java.nio.file.Path.of("no-such-dir", "validation.json"));
            fail("loaded a file that does not exist");
        } catch (MalformedSuiteException e) {
            assertTrue(e.getMessage().contains("cannot read") && e.getMessage().contains("validation.json"), e.getMessage());
        }
        for (String[] c : cases) {
            try {
                ValidationSuite.parse(c[0], "bad.json");
                fail("parsed malformed input " + c[0]);
            } catch (MalformedSuiteException e) {
                assertTrue(e.getMessage().contains(c[1]) && e.getMessage().startsWith("bad.json"),
                        () -> "for " + c[0] + " the message was: " + e.getMessage());
            }
        }
    }

    @Test
    void malformedGraphTestsFailCleanlyInTheConformanceRunner() throws Exception {
        String in = "{\"x\": {\"data\": %s, \"descriptor\": {\"shape\": %s, \"dataType\": \"%s\"}%s}}";
        String ops = "[{\"name\": \"relu\", \"arguments\": [{\"input\": \"x\"}], \"outputs\": \"y\"}]";
        String out = "{\"y\": {\"data\": [0], \"descriptor\": {\"shape\": [1], \"dataType\": \"float32\"}}}";
        String[][] graphs = {
            {"huge input", in.formatted("[1]", "[100000, 100000]", "float32", ""), ops, out},
            {"huge constant", in.formatted("[1]", "[100000, 100000]", "float32", ", \"constant\": true"), ops, out},
            {"overflowing shape", in.formatted("[1]", "[4294967295, 4294967295, 4294967295]", "float32", ""), ops, out},
            {"negative dimension", in.formatted("[1]", "[-1]", "float32", ""), ops, out},
            {"zero dimension", in.formatted("[]", "[0]", "float32", ""), ops, out},
            {"int16", in.formatted("[1]", "[1]", "int16", ""), ops, out},
            {"string data", in.formatted("[\"abc\"]", "[1]", "float32", ""), ops, out},
            {"too little data", in.formatted("[1]", "[1000]", "float32", ""), ops, out},
            {"unknown input reference", in.formatted("[1]", "[1]", "float32", ""),
                "[{\"name\": \"relu\", \"arguments\": [{\"input\": \"nope\"}], \"outputs\": \"y\"}]", out},
            {"self reference", in.formatted("[1]", "[1]", "float32", ""),
                "[{\"name\": \"relu\", \"arguments\": [{\"input\": \"y\"}], \"outputs\": \"y\"}]", out},
            {"missing expected output", in.formatted("[1]", "[1]", "float32", ""), ops,
                "{\"z\": {\"data\": [0], \"descriptor\": {\"shape\": [1], \"dataType\": \"float32\"}}}"},
            {"wrong argument type", in.formatted("[1]", "[1]", "float32", ""),
                "[{\"name\": \"softmax\", \"arguments\": [{\"input\": \"x\"}, {\"axis\": \"abc\"}], \"outputs\": \"y\"}]", out},
            {"unknown operator", in.formatted("[1]", "[1]", "float32", ""),
                "[{\"name\": \"frobnicate\", \"arguments\": [{\"input\": \"x\"}], \"outputs\": \"y\"}]", out},
        };
        try (dev.anneau.conformance.ConformanceRunner runner = new dev.anneau.conformance.ConformanceRunner("cpu")) {
            for (String[] g : graphs) {
                String json = "[{\"name\": \"" + g[0] + "\", \"graph\": {\"inputs\": " + g[1] + ", \"operators\": " + g[2]
                        + ", \"expectedOutputs\": " + g[3] + "}, \"tolerance\": {\"metricType\": \"ULP\", \"value\": 0}}]";
                dev.anneau.conformance.WptTest t = dev.anneau.conformance.WptSuite.parse("unit", "bad.json",
                        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json)).get(0);
                dev.anneau.conformance.TestResult r = assertTimeoutPreemptively(LIMIT, () -> runner.run(t), g[0]);
                assertEquals(dev.anneau.conformance.TestStatus.FAILED, r.status(), () -> g[0] + ": " + r);
                assertTrue(r.reason() != null && !r.reason().isBlank(), g[0] + ": no reason");
            }
        }
    }

    @Test
    void oddButWellFormedCallsFailTheSubtestInsteadOfTheRun() {
        // arguments the runner cannot resolve, unknown methods and bad descriptors: each is one failed subtest
        String[] calls = {
            "{\"method\": \"relu\", \"args\": [{\"operand\": {\"from\": 99}}], \"expect\": null}",
            "{\"method\": \"context.frobnicate\", \"args\": [], \"expect\": null}",
            "{\"method\": \"relu\", \"args\": [{\"operand\": {\"dataType\": \"float32\", \"shape\": [\"x\"]}}], \"expect\": null}",
            "{\"method\": \"relu\", \"args\": [{\"operand\": {\"dataType\": \"float32\", \"shape\": [4294967295, 4294967295]}}], \"expect\": {\"throws\": \"TypeError\"}}",
            "{\"method\": \"<promise>\", \"args\": null, \"expect\": {\"rejects\": \"TypeError\"}}",
            "{\"method\": \"context.readTensor\", \"args\": [{\"tensor\": {\"dataType\": \"float32\", \"shape\": [1]}}], \"expect\": null}",
            "{\"method\": \"noSuchOperator\", \"args\": [], \"expect\": null}",
            "{\"method\": \"relu\", \"args\": [{\"operand\": {\"dataType\": \"float32\", \"shape\": [2]}}], \"expect\": {\"output\": {\"dataType\": \"float16\", \"shape\": [2]}}}",
        };
        SubtestRunner runner = new SubtestRunner(MLContextOptions.defaults().withBackend("cpu"));
        for (String call : calls) {
            String json = "[{\"file\": \"x.js\", \"tests\": [{\"name\": \"t\", \"calls\": [" + call + "]}]}]";
            ValidationSuite s = ValidationSuite.parse(json, "inline");
            SubtestRunner.Outcome o = assertTimeoutPreemptively(LIMIT, () -> runner.run(s.runs().get(0).tests().get(0)));
            assertEquals(false, o.passed(), () -> call + " passed");
            assertTrue(o.reason() != null && !o.reason().isBlank(), call);
        }
        // and a well-formed passing one, as a control
        String ok = "[{\"file\": \"x.js\", \"tests\": [{\"name\": \"t\", \"calls\": [{\"method\": \"relu\", \"args\": ["
                + "{\"operand\": {\"dataType\": \"float32\", \"shape\": [2]}}], \"expect\": {\"output\": {\"dataType\": \"float32\", \"shape\": [2]}}}]}]}]";
        SubtestRunner.Outcome o = runner.run(ValidationSuite.parse(ok, "inline").runs().get(0).tests().get(0));
        assertTrue(o.passed(), o::reason);
    }
}
