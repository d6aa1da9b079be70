package dev.anneau.difftest;

import static dev.anneau.webnn.MLOperandDataType.FLOAT16;

import dev.anneau.webnn.MLOperandDataType;
import java.util.Set;

/**
 * The per-operator tolerances of the WPT suite (testdata/webnn-wpt/SUITE-README.md, "How to compare
 * results"), for one operator of a generated graph. A graph's tolerance is the sum of its operators'
 * ULP values (the WPT rule for subgraphs, {@code getPrecisionTolerance}); an ATOL operator makes the
 * graph an ATOL test (the generator then allows only exact operators beside it).
 *
 * <p>Where the newer WPT {@code utils.js} gives a smaller value (integer arithmetic: 0), the smaller one
 * is used, as SUITE-README recommends.
 */
final class OpTolerance {
    private OpTolerance() {}

    private static final Set<String> ATOL = Set.of("cos", "sin", "tan", "erf", "tanh", "log");

    static boolean isAtol(String op) { return ATOL.contains(op); }

    static double atol(String op, MLOperandDataType t) {
        if (op.equals("log")) return 1.0 / 1024;
        return t == FLOAT16 ? 1.0 / 512 : 1.0 / 1024;
    }

    private static boolean isFloat(MLOperandDataType t) { return t == MLOperandDataType.FLOAT32 || t == FLOAT16; }

    /** ULP of operators whose value depends only on the operator and its output type. */
    static double ulp(String op, MLOperandDataType t) {
        boolean f16 = t == FLOAT16;
        return switch (op) {
            case "add", "sub", "mul", "max", "prelu" -> isFloat(t) ? 1 : 0;
            case "sqrt" -> 1;
            case "leakyRelu" -> f16 ? 2 : 1;
            case "div" -> isFloat(t) ? 2 : 0;
            case "reciprocal", "hardSigmoid", "linear" -> 2;
            case "softsign" -> 3;
            case "hardSwish" -> 4;
            case "batchNormalization" -> 6;
            case "layerNormalization" -> 14;
            case "elu", "gelu", "softplus" -> 18;
            case "lstm" -> 3;
            case "lstmCell" -> 1;
            case "gru" -> 6;
            case "gruCell" -> 3;
            case "dequantizeLinear", "quantizeLinear" -> 1;
            case "cast" -> isFloat(t) ? 1 : 0;
            case "exp" -> f16 ? 1 : 32;
            case "pow" -> isFloat(t) ? (f16 ? 2 : 32) : 0;
            case "sigmoid" -> f16 ? 10 : 34;
            case "instanceNormalization" -> f16 ? 8400 : 840;
            case "resample2d-linear" -> f16 ? 10 : 84;
            // data movement, abs, neg, ceil, floor, relu, clamp, min, roundEven, sign, comparisons, logical,
            // isNaN, isInfinite, argMin/argMax, maxPool2d, reduceMax/Min, nearest-neighbor resample2d
            default -> 0;
        };
    }

    static double matmul(int k) { return 2.0 * k; }

    /** gemm: 2K, +1 if alpha != 1, +1 if c is given and beta != 0, +1 more if also beta != 1. */
    static double gemm(int k, double alpha, boolean c, double beta) {
        double v = 2.0 * k;
        if (alpha != 1) v += 1;
        if (c && beta != 0) {
            v += 1;
            if (beta != 1) v += 1;
        }
        return v;
    }

    /** conv2d, convTranspose2d: 2 * kH * kW * (inputChannels / groups). */
    static double conv(int kh, int kw, int channelsPerGroup) { return 2.0 * kh * kw * channelsPerGroup; }

    /** averagePool2d, l2Pool2d: window + 2; maxPool2d: 0. */
    static double pool(String op, int wh, int ww) { return op.equals("maxPool2d") ? 0 : wh * ww + 2; }

    /** Reductions over n elements. */
    static double reduce(String op, MLOperandDataType t, long n) {
        if (!isFloat(t)) return 0; // integer reductions are exact
        return switch (op) {
            case "reduceSum", "reduceL1", "reduceProduct" -> n;
            case "reduceL2" -> 2 * n + 1;
            case "reduceMean" -> n + 2;
            case "reduceLogSum" -> n + 18;
            case "reduceLogSumExp" -> 2 * n + 18;
            case "reduceSumSquare" -> 2 * n;
            default -> 0; // reduceMax, reduceMin
        };
    }

    static double softmax(int axisSize) { return 3.0 * axisSize + 3; }

    static double cumulativeSum(MLOperandDataType t, int axisSize) { return isFloat(t) ? axisSize - 1 : 0; }
}
