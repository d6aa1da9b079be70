package dev.anneau.onnx;

import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLGruOptions;
import dev.anneau.webnn.MLGruWeightLayout;
import dev.anneau.webnn.MLLstmOptions;
import dev.anneau.webnn.MLLstmWeightLayout;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLRecurrentNetworkActivation;
import dev.anneau.webnn.MLRecurrentNetworkDirection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * LSTM and GRU onto WebNN lstm/gru. ONNX's gate orders are WebNN's iofg (LSTM; peepholes i, o, f
 * in both) and zrn (GRU); ONNX's B holds the input and recurrent biases back to back. Layout 1
 * (batch first) is transposed in and out. Not mappable: clip, input_forget, activation
 * alpha/beta, per-direction activations that differ, sequence_lens shorter than the sequence.
 */
final class RecurrentMappers {
    private RecurrentMappers() {}

    static void register(MapperRegistry r) {
        r.register("LSTM", cx -> recurrent(cx, true));
        r.register("GRU", cx -> recurrent(cx, false));
    }

    private static void recurrent(NodeContext cx, boolean lstm) {
        MLGraphBuilder b = cx.b();
        int gates = lstm ? 4 : 3;
        long hidden = cx.attrInt("hidden_size", -1);
        String dirName = cx.attrString("direction", "forward");
        int layout = (int) cx.attrInt("layout", 0);
        if (cx.hasAttr("clip")) throw cx.unsupported("attribute clip");
        if (cx.attrFloats("activation_alpha") != null || cx.attrFloats("activation_beta") != null) {
            throw cx.unsupported("activation_alpha / activation_beta");
        }
        if (lstm && cx.attrInt("input_forget", 0) != 0) throw cx.unsupported("input_forget=1");
        boolean resetAfter = !lstm && cx.attrInt("linear_before_reset", 0) != 0;
        MLRecurrentNetworkDirection dir = switch (dirName) {
            case "forward" -> MLRecurrentNetworkDirection.FORWARD;
            case "reverse" -> MLRecurrentNetworkDirection.BACKWARD;
            case "bidirectional" -> MLRecurrentNetworkDirection.BOTH;
            default -> throw cx.unsupported("direction '%s'", dirName);
        };
        int nd = dir == MLRecurrentNetworkDirection.BOTH ? 2 : 1;
        List<String> acts = cx.attrStrings("activations");
        List<MLRecurrentNetworkActivation> activations = null;
        int perDir = lstm ? 3 : 2;
        if (acts != null && !acts.isEmpty()) {
            if (acts.size() != perDir * nd) throw cx.unsupported("%d activations for %d directions", acts.size(), nd);
            if (nd == 2 && !acts.subList(0, perDir).equals(acts.subList(perDir, 2 * perDir))) {
                throw cx.unsupported("different activations per direction %s", acts);
            }
            activations = new ArrayList<>();
            for (int i = 0; i < perDir; i++) {
                activations.add(switch (acts.get(i).toLowerCase(Locale.ROOT)) {
                    case "sigmoid" -> MLRecurrentNetworkActivation.SIGMOID;
                    case "tanh" -> MLRecurrentNetworkActivation.TANH;
                    case "relu" -> MLRecurrentNetworkActivation.RELU;
                    default -> throw cx.unsupported("activation '%s'", acts.get(i));
                });
            }
        }
        MLOperand x = cx.in(0);
        long[] xs = x.shape();
        if (xs.length != 3) throw cx.unsupported("input rank %d", xs.length);
        if (layout == 1) x = Ops.transpose(cx, x, 1, 0, 2);
        long steps = x.shape()[0], batch = x.shape()[1];
        MLOperand w = cx.in(1), rw = cx.in(2);
        long[] ws = w.shape();
        if (hidden < 0) hidden = ws[1] / gates;
        if (ws[0] != nd) throw cx.unsupported("weights for %d directions, direction is %s", ws[0], dirName);
        MLOperand bias = null, rbias = null;
        if (cx.has(3)) {
            MLOperand bb = cx.in(3);
            bias = b.slice(bb, new int[] {0, 0}, new int[] {nd, (int) (gates * hidden)});
            rbias = b.slice(bb, new int[] {0, (int) (gates * hidden)}, new int[] {nd, (int) (gates * hidden)});
        }
        if (cx.has(4)) {
            OnnxTensor lens = cx.constIn(4);
            for (int i = 0; i < lens.size(); i++) {
                if (lens.getLong(i) != steps) throw cx.unsupported("sequence_lens %s shorter than the sequence (%d)", lens, steps);
            }
        }
        MLOperand h0 = cx.has(5) ? cx.in(5) : null;
        MLOperand c0 = lstm && cx.has(6) ? cx.in(6) : null;
        MLOperand peep = lstm && cx.has(7) ? cx.in(7) : null;
        if (layout == 1) {
            if (h0 != null) h0 = Ops.transpose(cx, h0, 1, 0, 2);
            if (c0 != null) c0 = Ops.transpose(cx, c0, 1, 0, 2);
        }
        boolean wantSeq = cx.wantsOutput(0);
        MLOperand[] outs;
        if (lstm) {
            MLLstmOptions o = new MLLstmOptions().withBias(bias).withRecurrentBias(rbias).withPeepholeWeight(peep)
                    .withInitialHiddenState(h0).withInitialCellState(c0).withReturnSequence(wantSeq).withDirection(dir)
                    .withLayout(MLLstmWeightLayout.IOFG);
            if (activations != null) o = o.withActivations(activations);
            outs = b.lstm(x, w, rw, Math.toIntExact(steps), Math.toIntExact(hidden), o);
        } else {
            MLGruOptions o = new MLGruOptions().withBias(bias).withRecurrentBias(rbias).withInitialHiddenState(h0)
                    .withResetAfter(resetAfter).withReturnSequence(wantSeq).withDirection(dir).withLayout(MLGruWeightLayout.ZRN);
            if (activations != null) o = o.withActivations(activations);
            outs = b.gru(x, w, rw, Math.toIntExact(steps), Math.toIntExact(hidden), o);
        }
        MLOperand yh = outs[0];
        MLOperand yc = lstm ? outs[1] : null;
        MLOperand seq = wantSeq ? outs[lstm ? 2 : 1] : null;
        if (layout == 1) {
            if (seq != null) seq = Ops.transpose(cx, seq, 2, 0, 1, 3);
            yh = Ops.transpose(cx, yh, 1, 0, 2);
            if (yc != null) yc = Ops.transpose(cx, yc, 1, 0, 2);
        }
        if (seq != null) cx.out(0, seq, cx.type(0));
        cx.out(1, yh, cx.type(0));
        if (lstm) cx.out(2, yc, cx.type(0));
        if (batch < 1) throw cx.unsupported("empty batch");
    }
}
