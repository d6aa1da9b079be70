package dev.anneau.conformance.api;

import static dev.anneau.conformance.api.Api.await;
import static dev.anneau.conformance.api.Api.context;
import static dev.anneau.conformance.api.Api.rejects;
import static dev.anneau.conformance.api.Api.throwsError;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLOperatorOptions;
import dev.anneau.webnn.TypeError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MLGraphBuilder state rules (WPT build-more-than-once, input, constant; spec build() and input()). */
class BuilderStateTest {
    private static final MLOperandDescriptor F2 = new MLOperandDescriptor(FLOAT32, 2);

    private MLContext ctx;

    @BeforeEach
    void open() { ctx = context(); }

    @AfterEach
    void close() { ctx.destroy(); }

    @Test
    void buildingTwiceRejectsWithInvalidStateError() {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand y = b.relu(b.input("x", F2));
        assertNotNull(await(b.build(Map.of("y", y))));
        rejects("InvalidStateError", b.build(Map.of("y", y)));
    }

    @Test
    void buildingTwiceWithoutAwaitingRejectsTheSecond() {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand y = b.relu(b.input("x", F2));
        CompletableFuture<MLGraph> first = b.build(Map.of("y", y));
        CompletableFuture<MLGraph> second = b.build(Map.of("y", y));
        assertNotNull(await(first));
        rejects("InvalidStateError", second);
    }

    @Test
    void aBuiltBuilderRefusesEveryMethod() {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand x = b.input("x", F2);
        await(b.build(Map.of("y", b.relu(x))));
        throwsError("InvalidStateError", () -> b.relu(x));
        throwsError("InvalidStateError", () -> b.input("z", F2));
        throwsError("InvalidStateError", () -> b.constant(F2, new float[2]));
        throwsError("InvalidStateError", () -> b.constant(FLOAT32, 1.0));
    }

    @Test
    void aFailedBuildLeavesTheBuilderUsable() {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand x = b.input("x", F2);
        MLOperand c = b.constant(F2, new float[] {1, -1});
        MLOperand y = b.relu(x);
        rejects("TypeError", b.build(Map.of("x", x)));        // an input as output
        rejects("TypeError", b.build(Map.of("c", c)));        // a constant as output
        rejects("TypeError", b.build(Map.of()));              // no output
        rejects("TypeError", b.build(null));
        rejects("TypeError", b.build(Map.of("", y)));         // empty name
        Map<String, MLOperand> nullOutput = new HashMap<>();
        nullOutput.put("y", null);
        rejects("TypeError", b.build(nullOutput));
        MLOperand z = b.relu(c); // still usable after the failed builds
        assertNotNull(await(b.build(Map.of("y", y, "z", z))));
        rejects("InvalidStateError", b.build(Map.of("y", y)));
    }

    @Test
    void separateBuildersBuildSeparateGraphs() {
        MLGraphBuilder b1 = new MLGraphBuilder(ctx), b2 = new MLGraphBuilder(ctx);
        MLOperand y1 = b1.relu(b1.input("x", F2));
        MLOperand y2 = b2.relu(b2.input("x", F2));
        assertNotNull(await(b1.build(Map.of("y", y1))));
        assertNotNull(await(b2.build(Map.of("y", y2))));
    }

    @Test
    void operandsFromAnotherBuilderAreATypeError() {
        MLGraphBuilder b = new MLGraphBuilder(ctx), other = new MLGraphBuilder(ctx);
        MLOperand foreign = other.input("x", F2);
        TypeError e = (TypeError) throwsError("TypeError", () -> b.relu(foreign, new MLOperatorOptions("relu_label")));
        assertTrue(e.getMessage().contains("[relu_label]"), e.getMessage());
        MLOperand foreignOut = other.relu(foreign);
        rejects("TypeError", b.build(Map.of("y", foreignOut)));
        // operands of another builder on another context, too
        MLContext c2 = context();
        try {
            MLGraphBuilder b2 = new MLGraphBuilder(c2);
            MLOperand x2 = b2.input("x", F2);
            throwsError("TypeError", () -> b.relu(x2));
        } finally {
            c2.destroy();
        }
    }

    @Test
    void inputNamesAndDescriptorsAreValidated() {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        b.input("x", F2);
        throwsError("TypeError", () -> b.input("x", F2));            // duplicate name
        throwsError("TypeError", () -> b.input("", F2));
        throwsError("TypeError", () -> b.input(null, F2));
        throwsError("TypeError", () -> b.input("d", null));
        throwsError("TypeError", () -> b.input("zero", new MLOperandDescriptor(FLOAT32, 3, 0)));
        throwsError("TypeError", () -> b.input("neg", new MLOperandDescriptor(FLOAT32, new long[] {-1})));
        throwsError("TypeError", () -> b.input("big", new MLOperandDescriptor(FLOAT32, new long[] {1L << 32})));
        throwsError("TypeError", () -> b.input("rank", new MLOperandDescriptor(FLOAT32, new long[ctx.opSupportLimits().input().rankRange().max() + 1])));
        MLOperand scalar = b.input("s", new MLOperandDescriptor(FLOAT32, new long[0]));
        assertEquals(0, scalar.shape().length);
        MLOperand named = b.input("a\u0000b", F2); // names may hold any characters
        assertArrayEquals(new long[] {2}, named.shape());
    }

    @Test
    void constantDataMustMatchTheDescriptor() {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        throwsError("TypeError", () -> b.constant(new MLOperandDescriptor(FLOAT32, 2, 3), new float[5]));
        throwsError("TypeError", () -> b.constant(new MLOperandDescriptor(FLOAT32, 2, 3), new float[7]));
        throwsError("TypeError", () -> b.constant(new MLOperandDescriptor(FLOAT32, 2, 3), new int[6]));     // Int32Array for float32
        throwsError("TypeError", () -> b.constant(new MLOperandDescriptor(dev.anneau.webnn.MLOperandDataType.FLOAT16, 2, 3), new float[6]));
        throwsError("TypeError", () -> b.constant(new MLOperandDescriptor(FLOAT32, 2, 0), new float[0]));
        throwsError("TypeError", () -> b.constant(F2, (float[]) null));
        assertArrayEquals(new long[] {2, 3}, b.constant(new MLOperandDescriptor(FLOAT32, 2, 3), new byte[24]).shape());
        throwsError("TypeError", () -> dev.anneau.webnn.MLOperandDataType.fromSpecName("int16"));
    }

    @Test
    void operandsReportTypeAndShapeAtOnce() {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand y = b.relu(b.input("x", new MLOperandDescriptor(FLOAT32, 1, 2, 3)));
        assertEquals(FLOAT32, y.dataType());
        assertArrayEquals(new long[] {1, 2, 3}, y.shape());
        // the shape is a copy
        y.shape()[0] = 99;
        assertEquals(List.of(1L, 2L, 3L), java.util.Arrays.stream(y.shape()).boxed().toList());
    }
}
