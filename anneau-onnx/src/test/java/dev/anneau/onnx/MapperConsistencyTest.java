package dev.anneau.onnx;

import static dev.anneau.onnx.TestModels.FLOAT;
import static dev.anneau.onnx.TestModels.attr;
import static dev.anneau.onnx.TestModels.graph;
import static dev.anneau.onnx.TestModels.in;
import static dev.anneau.onnx.TestModels.info;
import static dev.anneau.onnx.TestModels.model;
import static dev.anneau.onnx.TestModels.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.anneau.onnx.proto.Onnx.AttributeProto;
import dev.anneau.onnx.proto.Onnx.GraphProto;
import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operators the ONNX test data cannot check here: Einsum (its tests use float64) against a naive
 * sum over indices, and the unrolled LSTM/GRU decomposition against WebNN's own lstm/gru (a huge
 * clip forces the unrolled path without changing the math).
 */
class MapperConsistencyTest {
    static MLContext ctx;

    @BeforeAll
    static void context() { ctx = ML.createContextNow(new MLContextOptions().withBackend("cpu")); }

    @AfterAll
    static void destroy() { ctx.destroy(); }

    static OnnxTensor random(long[] shape, long seed) {
        Random r = new Random(seed);
        float[] v = new float[(int) OnnxTensor.elementCount(shape)];
        for (int i = 0; i < v.length; i++) v[i] = r.nextFloat() * 2 - 1;
        return OnnxTensor.ofFloats(shape, v);
    }

    static Map<String, OnnxTensor> run(GraphProto g, Map<String, OnnxTensor> inputs) {
        try (OnnxSession s = new OnnxSession(ctx, OnnxModel.load(model(g, 17).toByteArray()))) {
            return s.run(inputs);
        }
    }

    // ------------------------------------------------------------------ Einsum

    /** Naive einsum over explicit index letters (no ellipsis), in double. */
    static double[] naiveEinsum(String eq, OnnxTensor... ops) {
        String[] lr = eq.split("->", -1);
        String[] terms = lr[0].split(",");
        String out = lr[1];
        Map<Character, Long> size = new LinkedHashMap<>();
        for (int k = 0; k < terms.length; k++) {
            for (int i = 0; i < terms[k].length(); i++) size.put(terms[k].charAt(i), ops[k].dim(i));
        }
        char[] all = size.keySet().stream().map(String::valueOf).reduce("", String::concat).toCharArray();
        long outN = 1;
        for (char c : out.toCharArray()) outN *= size.get(c);
        double[] res = new double[(int) outN];
        long total = 1;
        for (char c : all) total *= size.get(c);
        Map<Character, Long> idx = new LinkedHashMap<>();
        for (long flat = 0; flat < total; flat++) {
            long rem = flat;
            for (int i = all.length - 1; i >= 0; i--) {
                idx.put(all[i], rem % size.get(all[i]));
                rem /= size.get(all[i]);
            }
            double p = 1;
            for (int k = 0; k < terms.length; k++) {
                long off = 0;
                for (int i = 0; i < terms[k].length(); i++) off = off * ops[k].dim(i) + idx.get(terms[k].charAt(i));
                p *= ops[k].getDouble((int) off);
            }
            long o = 0;
            for (char c : out.toCharArray()) o = o * size.get(c) + idx.get(c);
            res[(int) o] += p;
        }
        return res;
    }

    static void checkEinsum(String eq, long[]... shapes) {
        GraphProto.Builder g = graph();
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        String[] names = new String[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            names[i] = "x" + i;
            Object[] dims = java.util.Arrays.stream(shapes[i]).boxed().toArray();
            g.addInput(info(names[i], FLOAT, dims));
            inputs.put(names[i], random(shapes[i], 7 + i));
        }
        g.addOutput(dev.anneau.onnx.proto.Onnx.ValueInfoProto.newBuilder().setName("y").build());
        g.addNode(node("Einsum", names, in("y"), attr("equation", eq)));
        OnnxTensor y = run(g.build(), inputs).get("y");
        double[] want = naiveEinsum(eq.replace(" ", ""), inputs.values().toArray(new OnnxTensor[0]));
        assertEquals(want.length, y.size(), eq);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], y.getDouble(i), 1e-4, eq + " element " + i);
    }

    @Test
    void einsumAgreesWithTheNaiveSum() {
        checkEinsum("ij,jk->ik", new long[] {3, 4}, new long[] {4, 5});
        checkEinsum("bij,bjk->bik", new long[] {2, 3, 4}, new long[] {2, 4, 5});
        checkEinsum("bhqd,bhkd->bhqk", new long[] {2, 3, 4, 5}, new long[] {2, 3, 6, 5});
        checkEinsum("i,i->", new long[] {7}, new long[] {7});
        checkEinsum("ij->ji", new long[] {3, 4});
        checkEinsum("ij->i", new long[] {3, 4});
        checkEinsum("i,j->ij", new long[] {3}, new long[] {4});
        checkEinsum("ij,jk,kl->il", new long[] {2, 3}, new long[] {3, 4}, new long[] {4, 2});
        checkEinsum("bn,anm,bm->ba", new long[] {2, 3}, new long[] {4, 3, 5}, new long[] {2, 5});
    }

    @Test
    void einsumEllipsisAndImplicitOutput() {
        OnnxTensor a = random(new long[] {2, 3, 4}, 1), b = random(new long[] {2, 4, 5}, 2);
        GraphProto g = graph().addInput(info("a", FLOAT, 2L, 3L, 4L)).addInput(info("b", FLOAT, 2L, 4L, 5L))
                .addOutput(dev.anneau.onnx.proto.Onnx.ValueInfoProto.newBuilder().setName("y").build())
                .addOutput(dev.anneau.onnx.proto.Onnx.ValueInfoProto.newBuilder().setName("z").build())
                .addNode(node("Einsum", in("a", "b"), in("y"), attr("equation", "...ij,...jk->...ik")))
                .addNode(node("Einsum", in("a", "b"), in("z"), attr("equation", "bij,bjk"))).build();
        Map<String, OnnxTensor> r = run(g, Map.of("a", a, "b", b));
        double[] want = naiveEinsum("bij,bjk->bik", a, b);
        assertArrayEquals(new long[] {2, 3, 5}, r.get("y").shape());
        for (int i = 0; i < want.length; i++) assertEquals(want[i], r.get("y").getDouble(i), 1e-4);
        // implicit output: the indices that appear once, sorted: "ik" summed over b and j
        double[] implicit = naiveEinsum("bij,bjk->ik", a, b);
        assertArrayEquals(new long[] {3, 5}, r.get("z").shape());
        for (int i = 0; i < implicit.length; i++) assertEquals(implicit[i], r.get("z").getDouble(i), 1e-4);
    }

    // ------------------------------------------------------------------ recurrent: unrolled vs native

    static Map<String, OnnxTensor> recurrent(String op, int gates, String direction, boolean forceUnrolled, AttributeProto extra) {
        int nd = direction.equals("bidirectional") ? 2 : 1;
        long steps = 4, batch = 2, input = 3, hidden = 5;
        GraphProto.Builder g = graph().addInput(info("x", FLOAT, steps, batch, input))
                .addOutput(info("y", FLOAT, steps, (long) nd, batch, hidden)).addOutput(info("yh", FLOAT, (long) nd, batch, hidden))
                .addInitializer(TestModels.tensor("w", random(new long[] {nd, gates * hidden, input}, 11)))
                .addInitializer(TestModels.tensor("r", random(new long[] {nd, gates * hidden, hidden}, 12)))
                .addInitializer(TestModels.tensor("b", random(new long[] {nd, 2 * gates * hidden}, 13)))
                .addInitializer(TestModels.tensor("h0", random(new long[] {nd, batch, hidden}, 14)));
        String[] ins = op.equals("LSTM") ? in("x", "w", "r", "b", "", "h0", "c0", "p") : in("x", "w", "r", "b", "", "h0");
        if (op.equals("LSTM")) {
            g.addInitializer(TestModels.tensor("c0", random(new long[] {nd, batch, hidden}, 15)));
            // input and forget peepholes only: WebNN and ONNX agree on those
            OnnxTensor p = random(new long[] {nd, 3 * hidden}, 16);
            for (int d = 0; d < nd; d++) for (long j = hidden; j < 2 * hidden; j++) p.setDouble((int) (d * 3 * hidden + j), 0);
            g.addInitializer(TestModels.tensor("p", p));
        }
        var n = node(op, ins, in("y", "yh"), attr("hidden_size", hidden), attr("direction", direction)).toBuilder();
        if (forceUnrolled) n.addAttribute(attr("clip", 1e9f));
        if (extra != null) n.addAttribute(extra);
        g.addNode(n.build());
        return run(g.build(), Map.of("x", random(new long[] {steps, batch, input}, 17)));
    }

    static void assertClose(OnnxTensor want, OnnxTensor got) {
        assertArrayEquals(want.shape(), got.shape());
        for (int i = 0; i < want.size(); i++) assertEquals(want.getDouble(i), got.getDouble(i), 1e-5, "element " + i);
    }

    @Test
    void unrolledRecurrencesMatchWebnnLstmAndGru() {
        for (String dir : new String[] {"forward", "reverse", "bidirectional"}) {
            Map<String, OnnxTensor> a = recurrent("LSTM", 4, dir, false, null), b = recurrent("LSTM", 4, dir, true, null);
            assertClose(a.get("y"), b.get("y"));
            assertClose(a.get("yh"), b.get("yh"));
            for (long lbr : new long[] {0, 1}) {
                AttributeProto l = attr("linear_before_reset", lbr);
                Map<String, OnnxTensor> c = recurrent("GRU", 3, dir, false, l), d = recurrent("GRU", 3, dir, true, l);
                assertClose(c.get("y"), d.get("y"));
                assertClose(c.get("yh"), d.get("yh"));
            }
        }
    }

    @Test
    void sequenceOutputIsOptional() {
        GraphProto g = graph().addInput(info("x", FLOAT, 3L, 1L, 2L)).addOutput(info("yh", FLOAT, 1L, 1L, 2L))
                .addInitializer(TestModels.tensor("w", random(new long[] {1, 2, 2}, 1)))
                .addInitializer(TestModels.tensor("r", random(new long[] {1, 2, 2}, 2)))
                .addNode(node("RNN", in("x", "w", "r"), in("", "yh"), attr("hidden_size", 2L))).build();
        Map<String, OnnxTensor> r = run(g, Map.of("x", random(new long[] {3, 1, 2}, 3)));
        assertEquals(1, r.size());
        assertNull(r.get("y"));
    }
}
