package dev.anneau.backend.ort.lowering;

import dev.anneau.onnx.proto.Onnx.TensorProto;
import dev.anneau.webnn.MLGruWeightLayout;
import dev.anneau.webnn.MLLstmWeightLayout;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLRecurrentNetworkActivation;
import dev.anneau.webnn.MLRecurrentNetworkDirection;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.RecurrentOps.GruAttributes;
import dev.anneau.webnn.ops.RecurrentOps.LstmAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX lowerings of the recurrent family (see {@code dev.anneau.webnn.RecurrentMethods}).
 *
 * <p>gru is ONNX GRU: WebNN's default gate layout zrn is ONNX's zrh (rzn is reordered with
 * Split/Concat), resetAfter is {@code linear_before_reset = 1}, the two biases are concatenated
 * into ONNX's B (a missing one as zeros), directions forward/backward/both are
 * forward/reverse/bidirectional, the activations are repeated per direction, and the sequence
 * output of a backward direction is stored at the original time positions in both. Outputs are
 * [Y_h] or [Y_h, Y].
 *
 * <p>lstm is not ONNX LSTM: ORT's float32 LSTM is 2 to 7 ULP off the float64 reference (WPT
 * allows 3 for lstm, 1 for lstmCell), ORT has no double LSTM kernel, and ONNX feeds the
 * <em>new</em> cell state into the output gate's peephole term (the spec the previous one). It is
 * unrolled step by step into MatMul/elementwise nodes in double, each output rounded once to its
 * type (see {@link #unrolledLstm}); ifgo weights are reordered to iofg first.
 *
 * <p>gruCell/lstmCell are one-step, one-direction networks: operands get a leading dimension of 1
 * and the states lose it again. float16 gru runs through ORT's float32 fallback (one rounding of
 * each output to float16).
 */
public final class RecurrentLowering {
    private RecurrentLowering() {}

    public static void register(LoweringRegistry registry) {
        // gru inputs: input, weight, recurrentWeight, bias, recurrentBias, initialHiddenState
        registry.register("gru", LoweringRegistry.FLOATS, (op, cx) -> gru(op, cx, false));
        // gruCell inputs: input, weight, recurrentWeight, hiddenState, bias, recurrentBias
        registry.register("gruCell", LoweringRegistry.FLOATS, (op, cx) -> gru(op, cx, true));
        // lstm inputs: input, weight, recurrentWeight, bias, recurrentBias, peepholeWeight, initialHiddenState, initialCellState
        registry.register("lstm", LoweringRegistry.FLOATS, (op, cx) -> lstm(op, cx, false));
        // lstmCell inputs: input, weight, recurrentWeight, hiddenState, cellState, bias, recurrentBias, peepholeWeight
        registry.register("lstmCell", LoweringRegistry.FLOATS, (op, cx) -> lstm(op, cx, true));
    }

    // ------------------------------------------------------------------ helpers

    private static String onnxName(MLRecurrentNetworkActivation a) {
        return switch (a) {
            case RELU -> "Relu";
            case SIGMOID -> "Sigmoid";
            case TANH -> "Tanh";
        };
    }

    private static String direction(MLRecurrentNetworkDirection d) {
        return switch (d) {
            case FORWARD -> "forward";
            case BACKWARD -> "reverse";
            case BOTH -> "bidirectional";
        };
    }

    /** The activation names for ONNX: the list once per direction. */
    private static List<String> activations(List<MLRecurrentNetworkActivation> list, int directions) {
        List<String> names = new ArrayList<>();
        for (int d = 0; d < directions; d++) for (MLRecurrentNetworkActivation a : list) names.add(onnxName(a));
        return names;
    }

    /** {@code value} with a leading dimension of 1 (a cell operand as a network's), or "" for null. */
    private static String unsqueeze(LoweringContext cx, MLOperand operand) {
        return operand == null ? "" : cx.apply("Unsqueeze", cx.value(operand), cx.int64s(0));
    }

    private static String valueOrEmpty(LoweringContext cx, MLOperand operand) {
        return operand == null ? "" : cx.value(operand);
    }

    /**
     * Reorders the {@code order.length} equal gate blocks of {@code value} along {@code axis}:
     * block {@code i} of the result is block {@code order[i]} of the input.
     */
    private static String reorder(LoweringContext cx, String value, int axis, int hidden, int[] order) {
        int gates = order.length;
        long[] sizes = new long[gates];
        java.util.Arrays.fill(sizes, hidden);
        String[] parts = new String[gates];
        for (int i = 0; i < gates; i++) parts[i] = cx.fresh();
        cx.op("Split", value, cx.int64s(sizes)).attr("axis", (long) axis).out(parts);
        String[] ordered = new String[gates];
        for (int i = 0; i < gates; i++) ordered[i] = parts[order[i]];
        return cx.op("Concat", ordered).attr("axis", (long) axis).out();
    }

    /** Zeros of a WebNN float type, or of double for a null type. */
    private static String zeros(LoweringContext cx, MLOperandDataType type, int... dims) {
        if (type == null) return doubleZeros(cx, dims);
        int n = 1;
        for (int d : dims) n *= d;
        return PoolingLowering.constant(cx, type, dims, new double[n]);
    }

    /**
     * ONNX's B: [bias, recurrentBias] along the last axis (either missing one as zeros), or "" when
     * both are missing. Operands are already network-shaped [dirs, gates * hidden] and reordered.
     */
    private static String concatBias(LoweringContext cx, String bias, String recurrentBias, MLOperandDataType type,
                                     int dirs, int width) {
        if (bias.isEmpty() && recurrentBias.isEmpty()) return "";
        String b = bias.isEmpty() ? zeros(cx, type, dirs, width) : bias;
        String rb = recurrentBias.isEmpty() ? zeros(cx, type, dirs, width) : recurrentBias;
        return cx.op("Concat", b, rb).attr("axis", 1L).out();
    }

    // ------------------------------------------------------------------ gru

    private static void gru(Operation op, LoweringContext cx, boolean cell) {
        GruAttributes a = op.attributes(GruAttributes.class);
        MLOperandDataType type = op.input(0).dataType();
        int hidden = a.hiddenSize(), dirs = a.numDirections();
        String x, w, r, b, rb, h0;
        if (cell) {
            x = unsqueeze(cx, op.input(0));
            w = unsqueeze(cx, op.input(1));
            r = unsqueeze(cx, op.input(2));
            h0 = unsqueeze(cx, op.input(3));
            b = unsqueeze(cx, op.input(4));
            rb = unsqueeze(cx, op.input(5));
        } else {
            x = cx.value(op.input(0));
            w = cx.value(op.input(1));
            r = cx.value(op.input(2));
            b = valueOrEmpty(cx, op.input(3));
            rb = valueOrEmpty(cx, op.input(4));
            h0 = valueOrEmpty(cx, op.input(5));
        }
        if (a.layout() == MLGruWeightLayout.RZN) {
            int[] zrn = {1, 0, 2};
            w = reorder(cx, w, 1, hidden, zrn);
            r = reorder(cx, r, 1, hidden, zrn);
            if (!b.isEmpty()) b = reorder(cx, b, 1, hidden, zrn);
            if (!rb.isEmpty()) rb = reorder(cx, rb, 1, hidden, zrn);
        }
        String bias = concatBias(cx, b, rb, type, dirs, 3 * hidden);
        String sequence = !cell && a.returnSequence() ? cx.outputName(op.output(1)) : "";
        String state = cell ? cx.fresh() : cx.outputName(op.output(0));
        cx.op("GRU", x, w, r, bias, "", h0)
                .attr("hidden_size", (long) hidden)
                .attr("direction", direction(a.direction()))
                .attr("linear_before_reset", a.resetAfter() ? 1L : 0L)
                .attr("activations", activations(a.activations(), dirs))
                .out(sequence, state);
        if (cell) cx.op("Squeeze", state, cx.int64s(0)).out(cx.outputName(op.output(0)));
    }

    // ------------------------------------------------------------------ lstm

    private static void lstm(Operation op, LoweringContext cx, boolean cell) {
        LstmAttributes a = op.attributes(LstmAttributes.class);
        MLOperandDataType type = op.input(0).dataType();
        int hidden = a.hiddenSize(), dirs = a.numDirections();
        String x, w, r, b, rb, p, h0, c0;
        if (cell) {
            x = unsqueeze(cx, op.input(0));
            w = unsqueeze(cx, op.input(1));
            r = unsqueeze(cx, op.input(2));
            h0 = unsqueeze(cx, op.input(3));
            c0 = unsqueeze(cx, op.input(4));
            b = unsqueeze(cx, op.input(5));
            rb = unsqueeze(cx, op.input(6));
            p = unsqueeze(cx, op.input(7));
        } else {
            x = cx.value(op.input(0));
            w = cx.value(op.input(1));
            r = cx.value(op.input(2));
            b = valueOrEmpty(cx, op.input(3));
            rb = valueOrEmpty(cx, op.input(4));
            p = valueOrEmpty(cx, op.input(5));
            h0 = valueOrEmpty(cx, op.input(6));
            c0 = valueOrEmpty(cx, op.input(7));
        }
        if (a.layout() == MLLstmWeightLayout.IFGO) {
            int[] iofg = {0, 3, 1, 2};
            w = reorder(cx, w, 1, hidden, iofg);
            r = reorder(cx, r, 1, hidden, iofg);
            if (!b.isEmpty()) b = reorder(cx, b, 1, hidden, iofg);
            if (!rb.isEmpty()) rb = reorder(cx, rb, 1, hidden, iofg);
        }
        // unrolled in double, each output rounded once to its type: ORT's float32 LSTM is up to 7 ULP off the
        // float64 reference, where WPT allows 1 (lstmCell) and 3 (lstm), and ORT has no double LSTM kernel
        x = toDouble(cx, x);
        w = toDouble(cx, w);
        r = toDouble(cx, r);
        b = toDouble(cx, b);
        rb = toDouble(cx, rb);
        p = toDouble(cx, p);
        h0 = toDouble(cx, h0);
        c0 = toDouble(cx, c0);
        String[] outs = {cx.fresh(), cx.fresh(), cell || !a.returnSequence() ? "" : cx.fresh()}; // hidden, cell, sequence
        int[] dims = op.input(0).type().dims();
        unrolledLstm(cx, a, dims[dims.length - 2], x, w, r, b, rb, p, h0, c0, outs);
        for (int i = 0; i < (outs[2].isEmpty() ? 2 : 3); i++) {
            String v = cell ? cx.apply("Squeeze", outs[i], cx.int64s(0)) : outs[i];
            cx.op("Cast", v).attr("to", OnnxTypes.of(type).getNumber()).out(cx.outputName(op.output(i)));
        }
    }

    /** A float32/float16 value widened (exactly) to double; "" stays "". */
    private static String toDouble(LoweringContext cx, String v) {
        return v.isEmpty() ? v : cx.castTo(v, TensorProto.DataType.DOUBLE);
    }

    /** A double tensor of zeros. */
    private static String doubleZeros(LoweringContext cx, int... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(TensorProto.DataType.DOUBLE.getNumber());
        int n = 1;
        for (int d : dims) {
            t.addDims(d);
            n *= d;
        }
        for (int i = 0; i < n; i++) t.addDoubleData(0);
        return cx.initializer(t);
    }

    /**
     * An lstm step by step as the spec's lstmCell decomposition, on double operands. Gates are in
     * iofg order; per step and direction: {@code gates = x W^T + (b + rb) + h R^T}, {@code i = f0(gates_i + c * p_i)},
     * {@code f = f0(gates_f + c * p_f)}, {@code g = f1(gates_g)}, {@code o = f0(gates_o + c * p_o)}
     * with the previous cell state c, then {@code c = f * c + i * g}, {@code h = o * f2(c)}.
     */
    private static void unrolledLstm(LoweringContext cx, LstmAttributes a, int batch, String x,
                                     String w, String r, String b, String rb, String p, String h0, String c0,
                                     String[] outs) {
        int hidden = a.hiddenSize(), dirs = a.numDirections(), steps = a.steps();
        String f0 = onnxName(a.activations().get(0)), f1 = onnxName(a.activations().get(1)),
                f2 = onnxName(a.activations().get(2));
        String[] hFinal = new String[dirs], cFinal = new String[dirs];
        String[][] sequence = new String[steps][dirs];
        for (int d = 0; d < dirs; d++) {
            String dir = cx.int64Scalar(d);
            String wt = cx.op("Transpose", cx.op("Gather", w, dir).attr("axis", 0L).out()).attr("perm", new long[] {1, 0}).out();
            String rt = cx.op("Transpose", cx.op("Gather", r, dir).attr("axis", 0L).out()).attr("perm", new long[] {1, 0}).out();
            // x W^T for every step at once: [steps, batch, 4 * hidden]
            String xw = cx.apply("MatMul", x, wt);
            String biasSum = null;
            if (!b.isEmpty() && !rb.isEmpty()) {
                biasSum = cx.apply("Add", cx.op("Gather", b, dir).attr("axis", 0L).out(),
                        cx.op("Gather", rb, dir).attr("axis", 0L).out());
            } else if (!b.isEmpty() || !rb.isEmpty()) {
                biasSum = cx.op("Gather", b.isEmpty() ? rb : b, dir).attr("axis", 0L).out();
            }
            String[] peep = null; // i, o, f
            if (!p.isEmpty()) {
                peep = new String[] {cx.fresh(), cx.fresh(), cx.fresh()};
                cx.op("Split", cx.op("Gather", p, dir).attr("axis", 0L).out(), cx.int64s(hidden, hidden, hidden))
                        .attr("axis", 0L).out(peep);
            }
            String h = h0.isEmpty() ? doubleZeros(cx, batch, hidden) : cx.op("Gather", h0, dir).attr("axis", 0L).out();
            String c = c0.isEmpty() ? doubleZeros(cx, batch, hidden) : cx.op("Gather", c0, dir).attr("axis", 0L).out();
            boolean backward = d == 1 || a.direction() == MLRecurrentNetworkDirection.BACKWARD;
            for (int step = 0; step < steps; step++) {
                int t = backward ? steps - 1 - step : step;
                String gates = cx.op("Gather", xw, cx.int64Scalar(t)).attr("axis", 0L).out();
                if (biasSum != null) gates = cx.apply("Add", biasSum, gates);
                gates = cx.apply("Add", gates, cx.apply("MatMul", h, rt));
                String[] g = {cx.fresh(), cx.fresh(), cx.fresh(), cx.fresh()}; // i, o, f, g
                cx.op("Split", gates, cx.int64s(hidden, hidden, hidden, hidden)).attr("axis", 1L).out(g);
                String i = cx.apply(f0, peep == null ? g[0] : cx.apply("Add", cx.apply("Mul", c, peep[0]), g[0]));
                String f = cx.apply(f0, peep == null ? g[2] : cx.apply("Add", cx.apply("Mul", c, peep[2]), g[2]));
                String gg = cx.apply(f1, g[3]);
                String o = cx.apply(f0, peep == null ? g[1] : cx.apply("Add", cx.apply("Mul", c, peep[1]), g[1]));
                c = cx.apply("Add", cx.apply("Mul", f, c), cx.apply("Mul", i, gg));
                h = cx.apply("Mul", o, cx.apply(f2, c));
                sequence[t][d] = h;
            }
            hFinal[d] = h;
            cFinal[d] = c;
        }
        cx.op("Identity", stack(cx, hFinal, 0)).out(outs[0]);
        cx.op("Identity", stack(cx, cFinal, 0)).out(outs[1]);
        if (!outs[2].isEmpty()) {
            String[] perStep = new String[steps];
            for (int t = 0; t < steps; t++) perStep[t] = stack(cx, sequence[t], 0);
            cx.op("Identity", stack(cx, perStep, 0)).out(outs[2]);
        }
    }

    /** Stacks equally shaped values along a new axis. */
    private static String stack(LoweringContext cx, String[] values, int axis) {
        String[] parts = new String[values.length];
        for (int i = 0; i < values.length; i++) parts[i] = cx.apply("Unsqueeze", values[i], cx.int64s(axis));
        return parts.length == 1 ? parts[0] : cx.op("Concat", parts).attr("axis", (long) axis).out();
    }}
