package dev.anneau.onnx;

import dev.anneau.webnn.MLClampOptions;
import dev.anneau.webnn.MLEluOptions;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLGruOptions;
import dev.anneau.webnn.MLGruWeightLayout;
import dev.anneau.webnn.MLHardSigmoidOptions;
import dev.anneau.webnn.MLLeakyReluOptions;
import dev.anneau.webnn.MLLstmOptions;
import dev.anneau.webnn.MLLstmWeightLayout;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLRecurrentNetworkActivation;
import dev.anneau.webnn.MLRecurrentNetworkDirection;
import dev.anneau.webnn.MLSplitOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * LSTM, GRU and RNN. LSTM and GRU map onto WebNN lstm/gru where the semantics agree: ONNX's gate
 * orders are WebNN's iofg (LSTM; peepholes i, o, f in both) and zrn (GRU), ONNX's B holds the
 * input and recurrent biases back to back, layout 1 (batch first) is transposed in and out.
 * Where they do not (RNN, which WebNN lacks; clip; input_forget; activations other than
 * sigmoid/tanh/relu or with alpha/beta; per-direction activations; an LSTM output-gate peephole,
 * which ONNX applies to the new cell state and WebNN to the old one) the recurrence is unrolled
 * over the (static) steps into matmuls and elementwise operations. sequence_lens shorter than the
 * sequence are not supported.
 */
final class RecurrentMappers {
    private RecurrentMappers() {}

    enum Kind { LSTM, GRU, RNN }

    static void register(MapperRegistry r) {
        r.register("LSTM", cx -> recurrent(cx, Kind.LSTM));
        r.register("GRU", cx -> recurrent(cx, Kind.GRU));
        r.register("RNN", cx -> recurrent(cx, Kind.RNN));
    }

    /** One activation with its resolved alpha/beta. */
    record Act(String name, float alpha, float beta) {}

    private static void recurrent(NodeContext cx, Kind kind) {
        int gates = switch (kind) { case LSTM -> 4; case GRU -> 3; case RNN -> 1; };
        int perDir = switch (kind) { case LSTM -> 3; case GRU -> 2; case RNN -> 1; };
        long hidden = cx.attrInt("hidden_size", -1);
        String dirName = cx.attrString("direction", "forward");
        int layout = (int) cx.attrInt("layout", 0);
        Float clip = cx.hasAttr("clip") ? cx.attrFloat("clip", 0) : null;
        boolean inputForget = kind == Kind.LSTM && cx.attrInt("input_forget", 0) != 0;
        boolean linearBeforeReset = kind == Kind.GRU && cx.attrInt("linear_before_reset", 0) != 0;
        MLRecurrentNetworkDirection dir = switch (dirName) {
            case "forward" -> MLRecurrentNetworkDirection.FORWARD;
            case "reverse" -> MLRecurrentNetworkDirection.BACKWARD;
            case "bidirectional" -> MLRecurrentNetworkDirection.BOTH;
            default -> throw cx.unsupported("direction '%s'", dirName);
        };
        int nd = dir == MLRecurrentNetworkDirection.BOTH ? 2 : 1;
        List<Act> acts = activations(cx, kind, perDir, nd);

        MLOperand x = cx.in(0);
        long[] xs = x.shape();
        if (xs.length != 3) throw cx.unsupported("input rank %d", xs.length);
        if (layout == 1) x = Ops.transpose(cx, x, 1, 0, 2);
        long steps = x.shape()[0];
        MLOperand w = cx.in(1), rw = cx.in(2);
        long[] ws = w.shape();
        if (hidden < 0) hidden = ws[1] / gates;
        if (ws[0] != nd) throw cx.unsupported("weights for %d directions, direction is %s", ws[0], dirName);
        if (cx.has(4)) {
            OnnxTensor lens = cx.constIn(4);
            for (int i = 0; i < lens.size(); i++) {
                if (lens.getLong(i) != steps) throw cx.unsupported("sequence_lens %s shorter than the sequence (%d)", lens, steps);
            }
        }
        MLOperand h0 = cx.has(5) ? cx.in(5) : null;
        MLOperand c0 = kind == Kind.LSTM && cx.has(6) ? cx.in(6) : null;
        if (layout == 1) {
            if (h0 != null) h0 = Ops.transpose(cx, h0, 1, 0, 2);
            if (c0 != null) c0 = Ops.transpose(cx, c0, 1, 0, 2);
        }
        MLOperand[] outs = nativeOk(cx, kind, clip, inputForget, acts, perDir, nd, hidden)
                ? nativeRecurrence(cx, kind, x, w, rw, h0, c0, dir, nd, gates, hidden, steps, linearBeforeReset, acts)
                : unrolled(cx, kind, x, w, rw, h0, c0, nd, gates, hidden, steps, dir, clip, inputForget, linearBeforeReset, acts, perDir);
        MLOperand seq = outs[0], yh = outs[1], yc = outs[2];
        if (layout == 1) {
            if (seq != null) seq = Ops.transpose(cx, seq, 2, 0, 1, 3);
            yh = Ops.transpose(cx, yh, 1, 0, 2);
            if (yc != null) yc = Ops.transpose(cx, yc, 1, 0, 2);
        }
        if (seq != null) cx.out(0, seq, cx.type(0));
        cx.out(1, yh, cx.type(0));
        if (kind == Kind.LSTM) cx.out(2, yc, cx.type(0));
    }

    private static List<Act> activations(NodeContext cx, Kind kind, int perDir, int nd) {
        List<String> names = cx.attrStrings("activations");
        float[] alphas = cx.attrFloats("activation_alpha"), betas = cx.attrFloats("activation_beta");
        if (names == null || names.isEmpty()) {
            List<String> d = switch (kind) {
                case LSTM -> List.of("Sigmoid", "Tanh", "Tanh");
                case GRU -> List.of("Sigmoid", "Tanh");
                case RNN -> List.of("Tanh");
            };
            names = new ArrayList<>();
            for (int i = 0; i < nd; i++) names.addAll(d);
        }
        if (names.size() != perDir * nd) throw cx.unsupported("%d activations for %d directions", names.size(), nd);
        // alphas and betas are consumed in order by the activations that take them (as ONNX Runtime does)
        int ai = 0, bi = 0;
        List<Act> out = new ArrayList<>();
        for (String n : names) {
            String name = n.toLowerCase(Locale.ROOT);
            boolean usesAlpha = switch (name) {
                case "affine", "leakyrelu", "thresholdedrelu", "scaledtanh", "hardsigmoid", "elu" -> true;
                default -> false;
            };
            boolean usesBeta = switch (name) {
                case "affine", "scaledtanh", "hardsigmoid" -> true;
                default -> false;
            };
            float alpha = switch (name) {
                case "leakyrelu" -> 0.01f;
                case "hardsigmoid" -> 0.2f;
                default -> 1f;
            };
            float beta = name.equals("hardsigmoid") ? 0.5f : name.equals("affine") ? 0f : 1f;
            if (usesAlpha && alphas != null && ai < alphas.length) alpha = alphas[ai++];
            if (usesBeta && betas != null && bi < betas.length) beta = betas[bi++];
            out.add(new Act(name, alpha, beta));
        }
        return out;
    }

    private static boolean nativeOk(NodeContext cx, Kind kind, Float clip, boolean inputForget, List<Act> acts, int perDir, int nd,
                                    long hidden) {
        if (kind == Kind.RNN || clip != null || inputForget) return false;
        for (int i = 0; i < acts.size(); i++) {
            String n = acts.get(i).name();
            if (!n.equals("sigmoid") && !n.equals("tanh") && !n.equals("relu")) return false;
            if (nd == 2 && i < perDir && !n.equals(acts.get(i + perDir).name())) return false;
        }
        if (cx.attrFloats("activation_alpha") != null || cx.attrFloats("activation_beta") != null) {
            // sigmoid/tanh/relu take no alpha/beta: the values are not consumed
        }
        if (kind == Kind.LSTM && cx.has(7)) {
            // WebNN feeds the output gate's peephole the old cell state, ONNX the new one: native only if it is 0
            if (!cx.isConst(7)) return false;
            OnnxTensor p = cx.constIn(7);
            for (int d = 0; d < nd; d++) {
                for (long j = hidden; j < 2 * hidden; j++) if (p.getDouble((int) (d * 3 * hidden + j)) != 0) return false;
            }
        }
        return true;
    }

    /** [sequence or null, last hidden [nd, batch, h], last cell [nd, batch, h] or null], time-major. */
    private static MLOperand[] nativeRecurrence(NodeContext cx, Kind kind, MLOperand x, MLOperand w, MLOperand rw, MLOperand h0,
                                                MLOperand c0, MLRecurrentNetworkDirection dir, int nd, int gates, long hidden,
                                                long steps, boolean linearBeforeReset, List<Act> acts) {
        MLGraphBuilder b = cx.b();
        MLOperand bias = null, rbias = null;
        if (cx.has(3)) {
            MLOperand bb = cx.in(3);
            bias = b.slice(bb, new int[] {0, 0}, new int[] {nd, (int) (gates * hidden)});
            rbias = b.slice(bb, new int[] {0, (int) (gates * hidden)}, new int[] {nd, (int) (gates * hidden)});
        }
        List<MLRecurrentNetworkActivation> activations = new ArrayList<>();
        for (int i = 0; i < acts.size() / nd; i++) {
            activations.add(switch (acts.get(i).name()) {
                case "sigmoid" -> MLRecurrentNetworkActivation.SIGMOID;
                case "tanh" -> MLRecurrentNetworkActivation.TANH;
                default -> MLRecurrentNetworkActivation.RELU;
            });
        }
        boolean wantSeq = cx.wantsOutput(0);
        if (kind == Kind.LSTM) {
            MLOperand peep = cx.has(7) ? cx.in(7) : null;
            MLLstmOptions o = new MLLstmOptions().withBias(bias).withRecurrentBias(rbias).withPeepholeWeight(peep)
                    .withInitialHiddenState(h0).withInitialCellState(c0).withReturnSequence(wantSeq).withDirection(dir)
                    .withLayout(MLLstmWeightLayout.IOFG).withActivations(activations);
            MLOperand[] o3 = b.lstm(x, w, rw, Math.toIntExact(steps), Math.toIntExact(hidden), o);
            return new MLOperand[] {wantSeq ? o3[2] : null, o3[0], o3[1]};
        }
        MLGruOptions o = new MLGruOptions().withBias(bias).withRecurrentBias(rbias).withInitialHiddenState(h0)
                .withResetAfter(linearBeforeReset).withReturnSequence(wantSeq).withDirection(dir).withLayout(MLGruWeightLayout.ZRN)
                .withActivations(activations);
        MLOperand[] o2 = b.gru(x, w, rw, Math.toIntExact(steps), Math.toIntExact(hidden), o);
        return new MLOperand[] {wantSeq ? o2[1] : null, o2[0], null};
    }

    // ------------------------------------------------------------------ unrolled

    private static MLOperand[] unrolled(NodeContext cx, Kind kind, MLOperand x, MLOperand w, MLOperand rw, MLOperand h0, MLOperand c0,
                                        int nd, int gates, long hidden, long steps, MLRecurrentNetworkDirection dir, Float clip,
                                        boolean inputForget, boolean linearBeforeReset, List<Act> acts, int perDir) {
        MLGraphBuilder b = cx.b();
        MLOperandDataType t = x.dataType();
        long batch = x.shape()[1], in = x.shape()[2];
        long gh = gates * hidden;
        int h = Math.toIntExact(hidden);
        List<MLOperand> seqPerDir = new ArrayList<>(), lastH = new ArrayList<>(), lastC = new ArrayList<>();
        MLOperand peep = kind == Kind.LSTM && cx.has(7) ? cx.in(7) : null;
        MLOperand bb = cx.has(3) ? cx.in(3) : null;
        for (int d = 0; d < nd; d++) {
            List<Act> a = acts.subList(d * perDir, (d + 1) * perDir);
            MLOperand wd = Ops.reshape(cx, b.slice(w, new int[] {d, 0, 0}, new int[] {1, (int) gh, (int) in}), gh, in);
            MLOperand rdT = Ops.transpose(cx, Ops.reshape(cx, b.slice(rw, new int[] {d, 0, 0}, new int[] {1, (int) gh, h}), gh, hidden), 1, 0);
            MLOperand wb = null, rb = null;
            if (bb != null) {
                wb = Ops.reshape(cx, b.slice(bb, new int[] {d, 0}, new int[] {1, (int) gh}), gh);
                rb = Ops.reshape(cx, b.slice(bb, new int[] {d, (int) gh}, new int[] {1, (int) gh}), gh);
            }
            // input projections of every step at once: [steps, batch, gates * hidden]
            MLOperand xw = b.matmul(Ops.reshape(cx, x, steps * batch, in), Ops.transpose(cx, wd, 1, 0));
            if (wb != null) xw = b.add(xw, wb);
            xw = Ops.reshape(cx, xw, steps, batch, gh);
            MLOperand hs = h0 != null ? Ops.reshape(cx, b.slice(h0, new int[] {d, 0, 0}, new int[] {1, (int) batch, h}), batch, hidden)
                    : cx.constant(OnnxTensor.zeros(ElementType.fromWebNN(t), batch, hidden));
            MLOperand cs = null;
            if (kind == Kind.LSTM) {
                cs = c0 != null ? Ops.reshape(cx, b.slice(c0, new int[] {d, 0, 0}, new int[] {1, (int) batch, h}), batch, hidden)
                        : cx.constant(OnnxTensor.zeros(ElementType.fromWebNN(t), batch, hidden));
            }
            MLOperand pi = null, po = null, pf = null;
            if (peep != null) {
                pi = b.slice(peep, new int[] {d, 0}, new int[] {1, h});
                po = b.slice(peep, new int[] {d, h}, new int[] {1, h});
                pf = b.slice(peep, new int[] {d, 2 * h}, new int[] {1, h});
            }
            boolean backward = dir == MLRecurrentNetworkDirection.BACKWARD || d == 1;
            MLOperand[] byTime = new MLOperand[(int) steps];
            for (long step = 0; step < steps; step++) {
                int ti = (int) (backward ? steps - 1 - step : step);
                MLOperand xt = Ops.reshape(cx, b.slice(xw, new int[] {ti, 0, 0}, new int[] {1, (int) batch, (int) gh}), batch, gh);
                MLOperand hr = b.matmul(hs, rdT);
                if (kind == Kind.LSTM) {
                    MLOperand g = b.add(xt, hr);
                    if (rb != null) g = b.add(g, rb);
                    MLOperand[] p = b.split(g, 4, new MLSplitOptions().withAxis(1));
                    MLOperand ig = p[0], og = p[1], fg = p[2], cg = p[3];
                    if (pi != null) {
                        ig = b.add(ig, b.mul(pi, cs));
                        fg = b.add(fg, b.mul(pf, cs));
                    }
                    MLOperand i = act(cx, a.get(0), clip(cx, ig, clip));
                    MLOperand f = inputForget ? b.sub(cx.scalar(t, 1), i) : act(cx, a.get(0), clip(cx, fg, clip));
                    MLOperand c = act(cx, a.get(1), clip(cx, cg, clip));
                    cs = b.add(b.mul(f, cs), b.mul(i, c));
                    if (po != null) og = b.add(og, b.mul(po, cs));
                    MLOperand o = act(cx, a.get(0), clip(cx, og, clip));
                    hs = b.mul(o, act(cx, a.get(2), cs));
                } else if (kind == Kind.GRU) {
                    if (rb != null) hr = b.add(hr, rb);
                    MLOperand[] xp = b.split(xt, 3, new MLSplitOptions().withAxis(1));
                    MLOperand[] hp = b.split(hr, 3, new MLSplitOptions().withAxis(1));
                    MLOperand z = act(cx, a.get(0), clip(cx, b.add(xp[0], hp[0]), clip));
                    MLOperand r = act(cx, a.get(0), clip(cx, b.add(xp[1], hp[1]), clip));
                    MLOperand hh;
                    if (linearBeforeReset) {
                        hh = b.add(xp[2], b.mul(r, hp[2]));
                    } else {
                        MLOperand rhT = b.slice(rdT, new int[] {0, 2 * h}, new int[] {h, h});
                        hh = b.add(xp[2], b.matmul(b.mul(r, hs), rhT));
                        if (rb != null) hh = b.add(hh, b.slice(rb, new int[] {2 * h}, new int[] {h}));
                    }
                    MLOperand n = act(cx, a.get(1), clip(cx, hh, clip));
                    hs = b.add(b.mul(b.sub(cx.scalar(t, 1), z), n), b.mul(z, hs));
                } else {
                    MLOperand g = b.add(xt, hr);
                    if (rb != null) g = b.add(g, rb);
                    hs = act(cx, a.get(0), clip(cx, g, clip));
                }
                byTime[ti] = hs;
            }
            if (cx.wantsOutput(0)) {
                List<MLOperand> parts = new ArrayList<>();
                for (MLOperand s : byTime) parts.add(Ops.reshape(cx, s, 1, 1, batch, hidden));
                seqPerDir.add(parts.size() == 1 ? parts.get(0) : b.concat(parts, 0));
            }
            lastH.add(Ops.reshape(cx, hs, 1, batch, hidden));
            if (cs != null) lastC.add(Ops.reshape(cx, cs, 1, batch, hidden));
        }
        MLOperand seq = seqPerDir.isEmpty() ? null : seqPerDir.size() == 1 ? seqPerDir.get(0) : b.concat(seqPerDir, 1);
        MLOperand yh = lastH.size() == 1 ? lastH.get(0) : b.concat(lastH, 0);
        MLOperand yc = lastC.isEmpty() ? null : lastC.size() == 1 ? lastC.get(0) : b.concat(lastC, 0);
        return new MLOperand[] {seq, yh, yc};
    }

    private static MLOperand clip(NodeContext cx, MLOperand v, Float clip) {
        if (clip == null) return v;
        return cx.b().clamp(v, new MLClampOptions().withMinValue(-(double) clip).withMaxValue((double) clip));
    }

    /** The ONNX RNN activation functions. */
    private static MLOperand act(NodeContext cx, Act a, MLOperand x) {
        MLGraphBuilder b = cx.b();
        MLOperandDataType t = x.dataType();
        return switch (a.name()) {
            case "sigmoid" -> b.sigmoid(x);
            case "tanh" -> b.tanh(x);
            case "relu" -> b.relu(x);
            case "affine" -> b.add(b.mul(x, cx.scalar(t, a.alpha())), cx.scalar(t, a.beta()));
            case "leakyrelu" -> b.leakyRelu(x, new MLLeakyReluOptions().withAlpha((double) a.alpha()));
            case "thresholdedrelu" -> b.where(b.greater(x, cx.scalar(t, a.alpha())), x, cx.scalar(t, 0));
            case "scaledtanh" -> b.mul(b.tanh(b.mul(x, cx.scalar(t, a.beta()))), cx.scalar(t, a.alpha()));
            case "hardsigmoid" -> b.hardSigmoid(x, new MLHardSigmoidOptions().withAlpha((double) a.alpha()).withBeta((double) a.beta()));
            case "elu" -> b.elu(x, new MLEluOptions().withAlpha((double) a.alpha()));
            case "softsign" -> b.softsign(x);
            case "softplus" -> b.softplus(x);
            default -> throw cx.unsupported("activation '%s'", a.name());
        };
    }

    static String describe(long[] s) { return Arrays.toString(s); }
}
