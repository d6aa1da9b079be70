package dev.anneau.conformance;

import dev.anneau.webnn.*;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Calls an {@link MLGraphBuilder} operator by its spec name with loosely typed arguments, as
 * test files written for JavaScript describe them. Argument values are plain Java values:
 * {@link MLOperand}, {@link Number} (or a numeric String such as "NaN", "-0" or a big integer),
 * {@link List} of those, {@link String} (enums, data types) and {@code Map<String,Object>} for an
 * options dictionary (operand-valued options already resolved to {@link MLOperand}).
 * Conversions follow WebIDL: a value of the wrong kind is a {@link TypeError}.
 */
public final class BuilderCalls {
    private BuilderCalls() {}

    /** Invokes {@code operator}; returns its outputs (one element for single-output operators). */
    public static MLOperand[] call(MLGraphBuilder b, String operator, List<Object> args) {
        Map<String, Object> o = optionsAt(args, optionsIndex(operator));
        try {
            return dispatch(b, operator, args, o);
        } catch (ConversionError e) {
            // the label names the failing call, as the builder's own errors do
            String label = label(o);
            throw new TypeError((label == null || label.isEmpty() ? "" : "[" + label + "] ") + operator + ": " + e.getMessage(), e);
        }
    }

    /** An argument that cannot be converted to what the Java API takes (a WebIDL conversion failure). */
    private static final class ConversionError extends TypeError {
        ConversionError(String message) { super(message); }
    }

    private static MLOperand[] dispatch(MLGraphBuilder b, String operator, List<Object> args, Map<String, Object> o) {
        return switch (operator) {
            // element-wise binary, comparison, logical
            case "add" -> one(b.add(op(args, 0), op(args, 1), opts(o)));
            case "sub" -> one(b.sub(op(args, 0), op(args, 1), opts(o)));
            case "mul" -> one(b.mul(op(args, 0), op(args, 1), opts(o)));
            case "div" -> one(b.div(op(args, 0), op(args, 1), opts(o)));
            case "max" -> one(b.max(op(args, 0), op(args, 1), opts(o)));
            case "min" -> one(b.min(op(args, 0), op(args, 1), opts(o)));
            case "pow" -> one(b.pow(op(args, 0), op(args, 1), opts(o)));
            case "equal" -> one(b.equal(op(args, 0), op(args, 1), opts(o)));
            case "notEqual" -> one(b.notEqual(op(args, 0), op(args, 1), opts(o)));
            case "greater" -> one(b.greater(op(args, 0), op(args, 1), opts(o)));
            case "greaterOrEqual" -> one(b.greaterOrEqual(op(args, 0), op(args, 1), opts(o)));
            case "lesser" -> one(b.lesser(op(args, 0), op(args, 1), opts(o)));
            case "lesserOrEqual" -> one(b.lesserOrEqual(op(args, 0), op(args, 1), opts(o)));
            case "logicalAnd" -> one(b.logicalAnd(op(args, 0), op(args, 1), opts(o)));
            case "logicalOr" -> one(b.logicalOr(op(args, 0), op(args, 1), opts(o)));
            case "logicalXor" -> one(b.logicalXor(op(args, 0), op(args, 1), opts(o)));
            case "logicalNot" -> one(b.logicalNot(op(args, 0), opts(o)));
            case "isNaN" -> one(b.isNaN(op(args, 0), opts(o)));
            case "isInfinite" -> one(b.isInfinite(op(args, 0), opts(o)));
            // element-wise unary
            case "abs" -> one(b.abs(op(args, 0), opts(o)));
            case "ceil" -> one(b.ceil(op(args, 0), opts(o)));
            case "cos" -> one(b.cos(op(args, 0), opts(o)));
            case "erf" -> one(b.erf(op(args, 0), opts(o)));
            case "exp" -> one(b.exp(op(args, 0), opts(o)));
            case "floor" -> one(b.floor(op(args, 0), opts(o)));
            case "identity" -> one(b.identity(op(args, 0), opts(o)));
            case "log" -> one(b.log(op(args, 0), opts(o)));
            case "neg" -> one(b.neg(op(args, 0), opts(o)));
            case "reciprocal" -> one(b.reciprocal(op(args, 0), opts(o)));
            case "sin" -> one(b.sin(op(args, 0), opts(o)));
            case "sign" -> one(b.sign(op(args, 0), opts(o)));
            case "sqrt" -> one(b.sqrt(op(args, 0), opts(o)));
            case "tan" -> one(b.tan(op(args, 0), opts(o)));
            case "roundEven" -> one(b.roundEven(op(args, 0), opts(o)));
            case "cast" -> one(b.cast(op(args, 0), MLOperandDataType.fromSpecName(str(args, 1, "type")), opts(o)));
            case "where" -> one(b.where(op(args, 0), op(args, 1), op(args, 2), opts(o)));
            // activations
            case "clamp" -> one(b.clamp(op(args, 0), new MLClampOptions(number(o, "minValue"), number(o, "maxValue"), label(o))));
            case "elu" -> one(b.elu(op(args, 0), new MLEluOptions(dbl(o, "alpha"), label(o))));
            case "gelu" -> one(b.gelu(op(args, 0), opts(o)));
            case "hardSigmoid" -> one(b.hardSigmoid(op(args, 0), new MLHardSigmoidOptions(dbl(o, "alpha"), dbl(o, "beta"), label(o))));
            case "hardSwish" -> one(b.hardSwish(op(args, 0), opts(o)));
            case "leakyRelu" -> one(b.leakyRelu(op(args, 0), new MLLeakyReluOptions(dbl(o, "alpha"), label(o))));
            case "linear" -> one(b.linear(op(args, 0), new MLLinearOptions(dbl(o, "alpha"), dbl(o, "beta"), label(o))));
            case "prelu" -> one(b.prelu(op(args, 0), op(args, 1), opts(o)));
            case "relu" -> one(b.relu(op(args, 0), opts(o)));
            case "sigmoid" -> one(b.sigmoid(op(args, 0), opts(o)));
            case "softmax" -> one(b.softmax(op(args, 0), uint(args, 1, "axis"), opts(o)));
            case "softplus" -> one(b.softplus(op(args, 0), opts(o)));
            case "softsign" -> one(b.softsign(op(args, 0), opts(o)));
            case "tanh" -> one(b.tanh(op(args, 0), opts(o)));
            // reductions
            case "argMin" -> one(b.argMin(op(args, 0), uint(args, 1, "axis"), argMinMax(o)));
            case "argMax" -> one(b.argMax(op(args, 0), uint(args, 1, "axis"), argMinMax(o)));
            case "reduceL1" -> one(b.reduceL1(op(args, 0), reduce(o)));
            case "reduceL2" -> one(b.reduceL2(op(args, 0), reduce(o)));
            case "reduceLogSum" -> one(b.reduceLogSum(op(args, 0), reduce(o)));
            case "reduceLogSumExp" -> one(b.reduceLogSumExp(op(args, 0), reduce(o)));
            case "reduceMax" -> one(b.reduceMax(op(args, 0), reduce(o)));
            case "reduceMean" -> one(b.reduceMean(op(args, 0), reduce(o)));
            case "reduceMin" -> one(b.reduceMin(op(args, 0), reduce(o)));
            case "reduceProduct" -> one(b.reduceProduct(op(args, 0), reduce(o)));
            case "reduceSum" -> one(b.reduceSum(op(args, 0), reduce(o)));
            case "reduceSumSquare" -> one(b.reduceSumSquare(op(args, 0), reduce(o)));
            case "cumulativeSum" -> one(b.cumulativeSum(op(args, 0), uint(args, 1, "axis"),
                    new MLCumulativeSumOptions(bool(o, "exclusive"), bool(o, "reversed"), label(o))));
            // normalization
            case "batchNormalization" -> one(b.batchNormalization(op(args, 0), op(args, 1), op(args, 2),
                    new MLBatchNormalizationOptions(operand(o, "scale"), operand(o, "bias"), integer(o, "axis"), dbl(o, "epsilon"), label(o))));
            case "instanceNormalization" -> one(b.instanceNormalization(op(args, 0),
                    new MLInstanceNormalizationOptions(operand(o, "scale"), operand(o, "bias"), dbl(o, "epsilon"),
                            enumOf(MLInputOperandLayout.class, o, "layout"), label(o))));
            case "layerNormalization" -> one(b.layerNormalization(op(args, 0),
                    new MLLayerNormalizationOptions(operand(o, "scale"), operand(o, "bias"), ints(o, "axes"), dbl(o, "epsilon"), label(o))));
            // convolution, pooling, matrix
            case "conv2d" -> one(b.conv2d(op(args, 0), op(args, 1), new MLConv2dOptions(ints(o, "padding"), ints(o, "strides"),
                    ints(o, "dilations"), integer(o, "groups"), enumOf(MLInputOperandLayout.class, o, "inputLayout"),
                    enumOf(MLConv2dFilterOperandLayout.class, o, "filterLayout"), operand(o, "bias"), label(o))));
            case "convTranspose2d" -> one(b.convTranspose2d(op(args, 0), op(args, 1), new MLConvTranspose2dOptions(ints(o, "padding"),
                    ints(o, "strides"), ints(o, "dilations"), ints(o, "outputPadding"), ints(o, "outputSizes"), integer(o, "groups"),
                    enumOf(MLInputOperandLayout.class, o, "inputLayout"),
                    enumOf(MLConvTranspose2dFilterOperandLayout.class, o, "filterLayout"), operand(o, "bias"), label(o))));
            case "averagePool2d" -> one(b.averagePool2d(op(args, 0), pool(o)));
            case "l2Pool2d" -> one(b.l2Pool2d(op(args, 0), pool(o)));
            case "maxPool2d" -> one(b.maxPool2d(op(args, 0), pool(o)));
            case "resample2d" -> one(b.resample2d(op(args, 0), new MLResample2dOptions(enumOf(MLInterpolationMode.class, o, "mode"),
                    floats(o, "scales"), ints(o, "sizes"), ints(o, "axes"), label(o))));
            case "matmul" -> one(b.matmul(op(args, 0), op(args, 1), opts(o)));
            case "gemm" -> one(b.gemm(op(args, 0), op(args, 1), new MLGemmOptions(operand(o, "c"), dbl(o, "alpha"), dbl(o, "beta"),
                    bool(o, "aTranspose"), bool(o, "bTranspose"), label(o))));
            // shape and data movement
            case "concat" -> one(b.concat(operands(args, 0, "inputs"), uint(args, 1, "axis"), opts(o)));
            case "expand" -> one(b.expand(op(args, 0), longs(args, 1, "newShape"), opts(o)));
            case "gather" -> one(b.gather(op(args, 0), op(args, 1), new MLGatherOptions(integer(o, "axis"), label(o))));
            case "gatherElements" -> one(b.gatherElements(op(args, 0), op(args, 1), new MLGatherOptions(integer(o, "axis"), label(o))));
            case "gatherND" -> one(b.gatherND(op(args, 0), op(args, 1), opts(o)));
            case "scatterElements" -> one(b.scatterElements(op(args, 0), op(args, 1), op(args, 2),
                    new MLScatterOptions(integer(o, "axis"), label(o))));
            case "scatterND" -> one(b.scatterND(op(args, 0), op(args, 1), op(args, 2), opts(o)));
            case "pad" -> one(b.pad(op(args, 0), intsArg(args, 1, "beginningPadding"), intsArg(args, 2, "endingPadding"),
                    new MLPadOptions(enumOf(MLPaddingMode.class, o, "mode"), number(o, "value"), label(o))));
            case "reshape" -> one(b.reshape(op(args, 0), longs(args, 1, "newShape"), opts(o)));
            case "slice" -> one(b.slice(op(args, 0), intsArg(args, 1, "starts"), intsArg(args, 2, "sizes"),
                    new MLSliceOptions(ints(o, "strides"), label(o))));
            case "split" -> {
                Object s = arg(args, 1);
                MLSplitOptions so = new MLSplitOptions(integer(o, "axis"), label(o));
                yield s instanceof List<?> ? b.split(op(args, 0), intsArg(args, 1, "splits"), so)
                        : b.split(op(args, 0), uint(args, 1, "splits"), so);
            }
            case "transpose" -> one(b.transpose(op(args, 0), new MLTransposeOptions(ints(o, "permutation"), label(o))));
            case "reverse" -> one(b.reverse(op(args, 0), new MLReverseOptions(ints(o, "axes"), label(o))));
            case "tile" -> one(b.tile(op(args, 0), intsArg(args, 1, "repetitions"), opts(o)));
            case "triangular" -> one(b.triangular(op(args, 0), new MLTriangularOptions(bool(o, "upper"), signedInt(o, "diagonal"), label(o))));
            // recurrent
            case "gru" -> b.gru(op(args, 0), op(args, 1), op(args, 2), uint(args, 3, "steps"), uint(args, 4, "hiddenSize"),
                    new MLGruOptions(operand(o, "bias"), operand(o, "recurrentBias"), operand(o, "initialHiddenState"),
                            bool(o, "resetAfter"), bool(o, "returnSequence"), enumOf(MLRecurrentNetworkDirection.class, o, "direction"),
                            enumOf(MLGruWeightLayout.class, o, "layout"), activations(o), label(o)));
            case "gruCell" -> one(b.gruCell(op(args, 0), op(args, 1), op(args, 2), op(args, 3), uint(args, 4, "hiddenSize"),
                    new MLGruCellOptions(operand(o, "bias"), operand(o, "recurrentBias"), bool(o, "resetAfter"),
                            enumOf(MLGruWeightLayout.class, o, "layout"), activations(o), label(o))));
            case "lstm" -> b.lstm(op(args, 0), op(args, 1), op(args, 2), uint(args, 3, "steps"), uint(args, 4, "hiddenSize"),
                    new MLLstmOptions(operand(o, "bias"), operand(o, "recurrentBias"), operand(o, "peepholeWeight"),
                            operand(o, "initialHiddenState"), operand(o, "initialCellState"), bool(o, "returnSequence"),
                            enumOf(MLRecurrentNetworkDirection.class, o, "direction"), enumOf(MLLstmWeightLayout.class, o, "layout"),
                            activations(o), label(o)));
            case "lstmCell" -> b.lstmCell(op(args, 0), op(args, 1), op(args, 2), op(args, 3), op(args, 4), uint(args, 5, "hiddenSize"),
                    new MLLstmCellOptions(operand(o, "bias"), operand(o, "recurrentBias"), operand(o, "peepholeWeight"),
                            enumOf(MLLstmWeightLayout.class, o, "layout"), activations(o), label(o)));
            // quantization
            case "quantizeLinear" -> one(b.quantizeLinear(op(args, 0), op(args, 1), op(args, 2), opts(o)));
            case "dequantizeLinear" -> one(b.dequantizeLinear(op(args, 0), op(args, 1), op(args, 2), opts(o)));
            default -> throw new TypeError("unknown operator '" + operator + "'");
        };
    }

    /** Position of the options dictionary in each operator's argument list. */
    public static int optionsIndex(String operator) {
        return switch (operator) {
            case "add", "sub", "mul", "div", "max", "min", "pow", "equal", "notEqual", "greater", "greaterOrEqual", "lesser",
                 "lesserOrEqual", "logicalAnd", "logicalOr", "logicalXor", "prelu", "matmul", "gemm", "gather", "gatherElements",
                 "gatherND", "cast", "softmax", "argMin", "argMax", "cumulativeSum", "conv2d", "convTranspose2d", "concat",
                 "expand", "reshape", "split", "tile" -> 2;
            case "where", "batchNormalization", "scatterElements", "scatterND", "pad", "slice", "quantizeLinear",
                 "dequantizeLinear" -> 3;
            case "gruCell" -> 5;
            case "gru", "lstm" -> 5;
            case "lstmCell" -> 6;
            default -> 1;
        };
    }

    // ------------------------------------------------------------------ argument conversion

    private static MLOperand[] one(MLOperand o) { return new MLOperand[] {o}; }

    private static Object arg(List<Object> args, int i) { return i < args.size() ? args.get(i) : null; }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> optionsAt(List<Object> args, int i) {
        Object v = arg(args, i);
        if (v == null) return Map.of();
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new ConversionError("argument " + (i + 1) + " must be an options dictionary");
    }

    private static MLOperand op(List<Object> args, int i) {
        Object v = arg(args, i);
        if (v == null) throw new ConversionError("argument " + (i + 1) + " is required and must be an MLOperand");
        if (v instanceof MLOperand o) return o;
        throw new ConversionError("argument " + (i + 1) + " must be an MLOperand, got " + describe(v));
    }

    private static List<MLOperand> operands(List<Object> args, int i, String name) {
        Object v = arg(args, i);
        if (!(v instanceof List<?> l)) throw new ConversionError(name + " must be a sequence of MLOperand");
        List<MLOperand> out = new ArrayList<>();
        for (Object e : l) {
            if (!(e instanceof MLOperand o)) throw new ConversionError(name + " must contain only MLOperand, got " + describe(e));
            out.add(o);
        }
        return out;
    }

    private static String str(List<Object> args, int i, String name) {
        Object v = arg(args, i);
        if (v instanceof String s) return s;
        throw new ConversionError(name + " must be a string, got " + describe(v));
    }

    /** WebIDL [EnforceRange] unsigned long, as the API's int (read as unsigned 32-bit). */
    public static int uint(List<Object> args, int i, String name) {
        Object v = arg(args, i);
        if (v == null) throw new ConversionError(name + " is required");
        return (int) enforceUnsignedLong(v, name);
    }

    /** WebIDL [EnforceRange] unsigned long conversion; returns the value (0..2^32-1) as a long. */
    public static long enforceUnsignedLong(Object v, String name) {
        double d = toNumber(v, name);
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new ConversionError(name + " must be a finite number, got " + v);
        d = d < 0 ? Math.ceil(d) : Math.floor(d);
        if (d < 0 || d > 4294967295.0) throw new ConversionError(name + " (" + v + ") is outside the unsigned long range");
        // values above 2^31-1 reach the int-typed Java API wrapped; the API reads such ints as unsigned
        return (long) d;
    }

    private static double toNumber(Object v, String name) {
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof Boolean bo) return bo ? 1 : 0;
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new ConversionError(name + " must be a number, got '" + s + "'");
            }
        }
        throw new ConversionError(name + " must be a number, got " + describe(v));
    }

    /** A JSON number or numeric string as an MLNumber (big integers stay exact). */
    public static Number toMLNumber(Object v, String name) {
        if (v == null) return null;
        if (v instanceof BigInteger || v instanceof Long || v instanceof Integer) return (Number) v;
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof String s) {
            if (s.matches("-?\\d+") && s.length() > 15) return new BigInteger(s);
            return toNumber(s, name);
        }
        throw new ConversionError(name + " must be a number, got " + describe(v));
    }

    private static long[] longs(List<Object> args, int i, String name) {
        Object v = arg(args, i);
        if (!(v instanceof List<?> l)) throw new ConversionError(name + " must be a sequence of unsigned long");
        long[] out = new long[l.size()];
        for (int k = 0; k < out.length; k++) {
            double d = toNumber(l.get(k), name);
            if (Double.isNaN(d) || Double.isInfinite(d)) throw new ConversionError(name + " must hold finite numbers");
            d = d < 0 ? Math.ceil(d) : Math.floor(d);
            if (d < 0 || d > 4294967295.0) throw new ConversionError(name + "[" + k + "] (" + l.get(k) + ") is outside the unsigned long range");
            out[k] = (long) d;
        }
        return out;
    }

    private static int[] intsArg(List<Object> args, int i, String name) {
        Object v = arg(args, i);
        if (v == null) throw new ConversionError(name + " is required");
        return toInts(v, name);
    }

    private static int[] toInts(Object v, String name) {
        if (!(v instanceof List<?> l)) throw new ConversionError(name + " must be a sequence of unsigned long, got " + describe(v));
        int[] out = new int[l.size()];
        for (int k = 0; k < out.length; k++) out[k] = (int) enforceUnsignedLong(l.get(k), name + "[" + k + "]");
        return out;
    }

    private static MLOperatorOptions opts(Map<String, Object> o) { return new MLOperatorOptions(label(o)); }

    private static String label(Map<String, Object> o) {
        Object v = o.get("label");
        return v == null ? null : String.valueOf(v);
    }

    private static MLOperand operand(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (v == null) return null;
        if (v instanceof MLOperand op) return op;
        throw new ConversionError("options." + key + " must be an MLOperand, got " + describe(v));
    }

    private static int[] ints(Map<String, Object> o, String key) {
        Object v = o.get(key);
        return v == null ? null : toInts(v, "options." + key);
    }

    private static float[] floats(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (v == null) return null;
        if (!(v instanceof List<?> l)) throw new ConversionError("options." + key + " must be a sequence of float");
        float[] out = new float[l.size()];
        for (int k = 0; k < out.length; k++) {
            double d = toNumber(l.get(k), "options." + key);
            if (Double.isNaN(d) || Double.isInfinite(d)) throw new ConversionError("options." + key + " must hold finite numbers (WebIDL float)");
            out[k] = (float) d;
        }
        return out;
    }

    private static Double dbl(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (v == null) return null;
        double d = toNumber(v, "options." + key);
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new ConversionError("options." + key + " must be a finite number (WebIDL float), got " + v);
        return d;
    }

    private static Number number(Map<String, Object> o, String key) { return toMLNumber(o.get(key), "options." + key); }

    private static Integer integer(Map<String, Object> o, String key) {
        Object v = o.get(key);
        return v == null ? null : (int) enforceUnsignedLong(v, "options." + key);
    }

    /** WebIDL [EnforceRange] long. */
    private static Integer signedInt(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (v == null) return null;
        double d = toNumber(v, "options." + key);
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new ConversionError("options." + key + " must be a finite number");
        d = d < 0 ? Math.ceil(d) : Math.floor(d);
        if (d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) throw new ConversionError("options." + key + " is outside the long range");
        return (int) d;
    }

    private static Boolean bool(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (v == null) return null;
        if (v instanceof Boolean b) return b;
        if (v instanceof Number n) return n.doubleValue() != 0 && !Double.isNaN(n.doubleValue()); // WebIDL ToBoolean
        if (v instanceof String s) return !s.isEmpty();
        return true;
    }

    private static <E extends Enum<E> & SpecEnum> E enumOf(Class<E> type, Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (v == null) return null;
        return SpecEnum.parse(type, String.valueOf(v));
    }

    private static MLArgMinMaxOptions argMinMax(Map<String, Object> o) {
        Object t = o.get("outputDataType");
        return new MLArgMinMaxOptions(bool(o, "keepDimensions"), t == null ? null : MLOperandDataType.fromSpecName(String.valueOf(t)), label(o));
    }

    private static MLReduceOptions reduce(Map<String, Object> o) {
        return new MLReduceOptions(ints(o, "axes"), bool(o, "keepDimensions"), label(o));
    }

    private static MLPool2dOptions pool(Map<String, Object> o) {
        // "roundingType" is the name older WPT files use for the spec's outputShapeRounding
        Object rounding = o.containsKey("outputShapeRounding") ? o.get("outputShapeRounding") : o.get("roundingType");
        return new MLPool2dOptions(ints(o, "windowDimensions"), ints(o, "padding"), ints(o, "strides"), ints(o, "dilations"),
                enumOf(MLInputOperandLayout.class, o, "layout"),
                rounding == null ? null : SpecEnum.parse(MLRoundingType.class, String.valueOf(rounding)), ints(o, "outputSizes"), label(o));
    }

    private static List<MLRecurrentNetworkActivation> activations(Map<String, Object> o) {
        Object v = o.get("activations");
        if (v == null) return null;
        if (!(v instanceof List<?> l)) throw new ConversionError("options.activations must be a sequence");
        List<MLRecurrentNetworkActivation> out = new ArrayList<>();
        for (Object e : l) out.add(SpecEnum.parse(MLRecurrentNetworkActivation.class, String.valueOf(e)));
        return out;
    }

    private static String describe(Object v) {
        return v == null ? "undefined" : v.getClass().getSimpleName() + " " + v;
    }
}
