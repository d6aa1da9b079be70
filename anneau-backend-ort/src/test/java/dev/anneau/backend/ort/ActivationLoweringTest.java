package dev.anneau.backend.ort;

import static dev.anneau.backend.ort.Differential.shape;
import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.INT32;
import static dev.anneau.webnn.MLOperandDataType.INT64;
import static dev.anneau.webnn.MLOperandDataType.INT8;
import static dev.anneau.webnn.MLOperandDataType.UINT32;
import static dev.anneau.webnn.MLOperandDataType.UINT64;
import static dev.anneau.webnn.MLOperandDataType.UINT8;

import dev.anneau.backend.ort.Differential.In;
import dev.anneau.webnn.MLClampOptions;
import dev.anneau.webnn.MLEluOptions;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLHardSigmoidOptions;
import dev.anneau.webnn.MLLeakyReluOptions;
import dev.anneau.webnn.MLLinearOptions;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The activation lowerings against the CPU kernels, for every data type the ort backend claims. */
class ActivationLoweringTest {
    static Differential d;
    static final List<MLOperandDataType> FLOATS = List.of(FLOAT32, FLOAT16);

    @BeforeAll
    static void open() { d = new Differential(); }

    @AfterAll
    static void close() { d.close(); }

    @AfterEach
    void noMismatches() { d.assertNoFailures(); }

    interface Un { MLOperand apply(MLGraphBuilder b, MLOperand x); }

    void unary(String name, Un f, List<MLOperandDataType> types, int ulp, double atol) {
        for (MLOperandDataType t : types) {
            d.check(name + " " + t, ulp, atol, (b, in) -> f.apply(b, in.get("x")), d.random("x", t, shape(6, 10), true));
            if (t.isFloatingPoint()) d.check(name + " " + t + " small", ulp, atol, (b, in) -> f.apply(b, in.get("x")), small(t));
            d.check(name + " " + t + " 0-D", ulp, atol, (b, in) -> f.apply(b, in.get("x")), d.random("x", t, shape(), false));
        }
    }

    /** Magnitudes from 1e-8 to 20, both signs: where exp(x) - 1 and 1 + erf(x) lose their digits. */
    static In small(MLOperandDataType t) {
        double[] v = new double[64];
        for (int i = 0; i < v.length; i++) v[i] = (i % 2 == 0 ? 1 : -1) * Math.pow(10, -8 + 9.3 * i / v.length);
        return In.floats("x", t, shape(v.length), v);
    }

    @Test
    void relu() {
        unary("relu", MLGraphBuilder::relu, List.of(FLOAT32, FLOAT16, INT32, INT64, INT8), 0, 0);
    }

    @Test
    void clamp() {
        for (MLOperandDataType t : List.of(FLOAT32, FLOAT16, INT32, UINT32, INT64, UINT64, INT8, UINT8)) {
            for (Number[] bounds : new Number[][] {{null, null}, {-2, 5}, {null, 3}, {0, null}, {7, 7}}) {
                MLClampOptions o = new MLClampOptions(bounds[0], bounds[1], null);
                d.check("clamp " + t + " " + java.util.Arrays.toString(bounds), 0, (b, in) -> b.clamp(in.get("x"), o),
                        d.random("x", t, shape(6, 10), true));
            }
        }
        d.check("clamp int64 wide", 0, (b, in) -> b.clamp(in.get("x"), new MLClampOptions(-0x8000_0000L, 0xFFFF_FFFFL, null)),
                In.ints("x", INT64, shape(6), 0x80000000L, -0x80000001L, 0xFFFFFFFFL, 0x1_0000_0000L, 0, -0x8000_0000L));
        d.check("clamp uint64 wide", 0, (b, in) -> b.clamp(in.get("x"), new MLClampOptions(0x8000_0000L, 0x1_0000_0000L, null)),
                In.ints("x", UINT64, shape(5), 0x80000000L, 0x7FFFFFFFL, 0xFFFFFFFFL, 0x1_0000_0001L, -1));
        d.check("clamp NaN bound", 0, (b, in) -> b.clamp(in.get("x"), new MLClampOptions(Double.NaN, 1.0, null)),
                In.floats("x", FLOAT32, shape(4), -5, 0, 3, Double.NaN));
    }

    @Test
    void floatActivations() {
        unary("elu", (b, x) -> b.elu(x, new MLEluOptions(0.7, null)), FLOATS, 4, 0);
        // float32 evaluation of the erf form: a few ULP, and tails below -5.5 underflow to -0 (|error| < 1e-7)
        unary("gelu", MLGraphBuilder::gelu, FLOATS, 18, 1e-7);
        unary("hardSigmoid", (b, x) -> b.hardSigmoid(x, new MLHardSigmoidOptions(0.3, 0.4, null)), FLOATS, 2, 0);
        unary("hardSwish", MLGraphBuilder::hardSwish, FLOATS, 4, 0);
        unary("leakyRelu", (b, x) -> b.leakyRelu(x, new MLLeakyReluOptions(0.1, null)), FLOATS, 1, 0);
        unary("linear", (b, x) -> b.linear(x, new MLLinearOptions(1.5, -0.25, null)), FLOATS, 2, 0);
        unary("sigmoid", MLGraphBuilder::sigmoid, FLOATS, 4, 0);
        unary("softplus", MLGraphBuilder::softplus, FLOATS, 4, 0);
        unary("softsign", MLGraphBuilder::softsign, FLOATS, 2, 0);
        unary("tanh", MLGraphBuilder::tanh, FLOATS, 4, 0);
    }

    @Test
    void softmax() {
        for (MLOperandDataType t : FLOATS) {
            for (int axis = 0; axis < 3; axis++) {
                int ax = axis;
                // WPT allows 3 * n + 3 ULP; ORT's float32 exp is an approximation
                d.check("softmax " + t + " axis " + axis, 18, (b, in) -> b.softmax(in.get("x"), ax),
                        d.random("x", t, shape(3, 4, 5), false));
            }
            d.check("softmax " + t + " large and NaN rows", 18, (b, in) -> b.softmax(in.get("x"), 1),
                    In.floats("x", t, shape(3, 3), 1000, 999, 998, Double.NaN, 1, 2, -1e4, 0, Double.NEGATIVE_INFINITY));
        }
    }

    @Test
    void prelu() {
        for (MLOperandDataType t : List.of(FLOAT32, FLOAT16, INT32, INT64, INT8)) {
            d.check("prelu " + t, 1, (b, in) -> b.prelu(in.get("x"), in.get("s")),
                    d.random("x", t, shape(2, 3, 4), true), d.random("s", t, shape(2, 3, 4), false));
            d.check("prelu " + t + " slope broadcast", 1, (b, in) -> b.prelu(in.get("x"), in.get("s")),
                    d.random("x", t, shape(2, 3, 4), true), d.random("s", t, shape(4), false).asConstant());
            d.check("prelu " + t + " input broadcast", 1, (b, in) -> b.prelu(in.get("x"), in.get("s")),
                    d.random("x", t, shape(3, 1), true), d.random("s", t, shape(2, 1, 4), false));
        }
    }
}
