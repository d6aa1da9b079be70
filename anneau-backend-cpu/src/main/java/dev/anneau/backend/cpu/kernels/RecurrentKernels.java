package dev.anneau.backend.cpu.kernels;

import dev.anneau.backend.cpu.CpuTensor;
import dev.anneau.webnn.MLGruWeightLayout;
import dev.anneau.webnn.MLLstmWeightLayout;
import dev.anneau.webnn.MLRecurrentNetworkActivation;
import dev.anneau.webnn.MLRecurrentNetworkDirection;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.RecurrentOps.GruAttributes;
import dev.anneau.webnn.ops.RecurrentOps.LstmAttributes;

/**
 * CPU kernels of the recurrent family (see {@code dev.anneau.webnn.RecurrentMethods}).
 *
 * <p>The math follows the spec's decomposition (the same as webnn-baseline's {@code gru.js},
 * {@code gru_cell.js}, {@code lstm.js}, {@code lstm_cell.js}) but runs directly: gates, states and
 * the recurrence are carried in {@code double}, and each output element is rounded once into the
 * output type (float32 or float16). A cell is a network of one step and one direction, so
 * {@code gruCell}/{@code lstmCell} share the network kernels: their operands have the same
 * memory layout as the network's with a leading dimension of 1.
 */
public final class RecurrentKernels {
    private RecurrentKernels() {}

    public static void register(KernelRegistry registry) {
        // gru inputs: input, weight, recurrentWeight, bias, recurrentBias, initialHiddenState
        registry.register("gru", op -> gru(op, new int[] {0, 1, 2, 3, 4, 5}));
        // gruCell inputs: input, weight, recurrentWeight, hiddenState, bias, recurrentBias
        registry.register("gruCell", op -> gru(op, new int[] {0, 1, 2, 4, 5, 3}));
        // lstm inputs: input, weight, recurrentWeight, bias, recurrentBias, peepholeWeight, initialHiddenState, initialCellState
        registry.register("lstm", op -> lstm(op, new int[] {0, 1, 2, 3, 4, 5, 6, 7}));
        // lstmCell inputs: input, weight, recurrentWeight, hiddenState, cellState, bias, recurrentBias, peepholeWeight
        registry.register("lstmCell", op -> lstm(op, new int[] {0, 1, 2, 5, 6, 7, 3, 4}));
    }

    // ------------------------------------------------------------------ gru

    /** Operand order of the network kernel (see {@link #register}). */
    private static final int IN = 0, W = 1, R = 2, B = 3, RB = 4, H0 = 5, P = 5, LSTM_H0 = 6, LSTM_C0 = 7;

    private static Kernel gru(Operation op, int[] order) {
        GruAttributes a = op.attributes(GruAttributes.class);
        int hidden = a.hiddenSize();
        int[] dims = op.input(0).type().dims();
        // a cell's input is [batchSize, inputSize], a network's [steps, batchSize, inputSize]
        int batch = dims[dims.length - 2];
        int inputSize = dims[dims.length - 1];
        int steps = a.steps();
        int dirs = a.numDirections();
        boolean backwardOnly = a.direction() == MLRecurrentNetworkDirection.BACKWARD;
        int zGate = a.layout() == MLGruWeightLayout.ZRN ? 0 : 1;
        int rGate = 1 - zGate;
        int nGate = 2;
        Activation act0 = Activation.of(a.activations().get(0));
        Activation act1 = Activation.of(a.activations().get(1));
        boolean resetAfter = a.resetAfter();
        boolean returnSequence = a.returnSequence();
        return (raw, out) -> {
            CpuTensor[] in = reorder(raw, order);
            Matrix w = new Matrix(in[W]), r = new Matrix(in[R]);
            CpuTensor bias = in[B], rbias = in[RB], h0 = in[H0];
            double[] x = new double[inputSize];
            double[] h = new double[batch * hidden];
            double[] z = new double[hidden], rg = new double[hidden], rh = new double[hidden], n = new double[hidden];
            double[] biasSum = new double[3 * hidden], bn = new double[hidden], rbn = new double[hidden];
            for (int dir = 0; dir < dirs; dir++) {
                int gateBase = dir * 3 * hidden; // row of this direction's first gate in weight and bias
                for (int j = 0; j < 3 * hidden; j++) {
                    double bv = bias == null ? 0 : bias.get(gateBase + j);
                    double rv = rbias == null ? 0 : rbias.get(gateBase + j);
                    biasSum[j] = bv + rv;
                    if (j >= nGate * hidden) {
                        bn[j - nGate * hidden] = bv;
                        rbn[j - nGate * hidden] = rv;
                    }
                }
                for (int i = 0; i < batch * hidden; i++) h[i] = h0 == null ? 0 : h0.get(dir * batch * hidden + i);
                boolean backward = dir == 1 || backwardOnly;
                for (int step = 0; step < steps; step++) {
                    int t = backward ? steps - 1 - step : step;
                    for (int bi = 0; bi < batch; bi++) {
                        read(in[IN], (t * batch + bi) * inputSize, x);
                        int hOff = bi * hidden;
                        for (int j = 0; j < hidden; j++) {
                            int zRow = gateBase + zGate * hidden + j, rRow = gateBase + rGate * hidden + j;
                            z[j] = act0.apply(biasSum[zGate * hidden + j]
                                    + (w.dot(zRow, x, 0, inputSize) + r.dot(zRow, h, hOff, hidden)));
                            rg[j] = act0.apply(biasSum[rGate * hidden + j]
                                    + (w.dot(rRow, x, 0, inputSize) + r.dot(rRow, h, hOff, hidden)));
                        }
                        if (!resetAfter) {
                            for (int k = 0; k < hidden; k++) rh[k] = rg[k] * h[hOff + k];
                        }
                        for (int j = 0; j < hidden; j++) {
                            int nRow = gateBase + nGate * hidden + j;
                            double xn = w.dot(nRow, x, 0, inputSize);
                            if (resetAfter) {
                                n[j] = act1.apply(bn[j] + (xn + rg[j] * (rbn[j] + r.dot(nRow, h, hOff, hidden))));
                            } else {
                                n[j] = act1.apply(biasSum[nGate * hidden + j] + (xn + r.dot(nRow, rh, 0, hidden)));
                            }
                        }
                        for (int j = 0; j < hidden; j++) {
                            h[hOff + j] = z[j] * h[hOff + j] + n[j] * (1 - z[j]);
                        }
                    }
                    if (returnSequence) store(h, out[1], (t * dirs + dir) * batch * hidden);
                }
                store(h, out[0], dir * batch * hidden);
            }
        };
    }

    // ------------------------------------------------------------------ lstm

    private static Kernel lstm(Operation op, int[] order) {
        LstmAttributes a = op.attributes(LstmAttributes.class);
        int hidden = a.hiddenSize();
        int[] dims = op.input(0).type().dims();
        int batch = dims[dims.length - 2];
        int inputSize = dims[dims.length - 1];
        int steps = a.steps();
        int dirs = a.numDirections();
        boolean backwardOnly = a.direction() == MLRecurrentNetworkDirection.BACKWARD;
        // gate order in weight and bias rows: iofg or ifgo; the peephole weight is always [i, o, f]
        boolean iofg = a.layout() == MLLstmWeightLayout.IOFG;
        int iGate = 0, oGate = iofg ? 1 : 3, fGate = iofg ? 2 : 1, gGate = iofg ? 3 : 2;
        Activation act0 = Activation.of(a.activations().get(0));
        Activation act1 = Activation.of(a.activations().get(1));
        Activation act2 = Activation.of(a.activations().get(2));
        boolean returnSequence = a.returnSequence();
        return (raw, out) -> {
            CpuTensor[] in = reorder(raw, order);
            Matrix w = new Matrix(in[W]), r = new Matrix(in[R]);
            CpuTensor bias = in[B], rbias = in[RB], peep = in[P], h0 = in[LSTM_H0], c0 = in[LSTM_C0];
            double[] x = new double[inputSize];
            double[] h = new double[batch * hidden], c = new double[batch * hidden], hNew = new double[batch * hidden];
            double[] biasSum = new double[4 * hidden];
            double[] pi = new double[hidden], po = new double[hidden], pf = new double[hidden];
            for (int dir = 0; dir < dirs; dir++) {
                int gateBase = dir * 4 * hidden;
                for (int j = 0; j < 4 * hidden; j++) {
                    biasSum[j] = (bias == null ? 0 : bias.get(gateBase + j)) + (rbias == null ? 0 : rbias.get(gateBase + j));
                }
                for (int j = 0; j < hidden; j++) {
                    int pBase = dir * 3 * hidden;
                    pi[j] = peep == null ? 0 : peep.get(pBase + j);
                    po[j] = peep == null ? 0 : peep.get(pBase + hidden + j);
                    pf[j] = peep == null ? 0 : peep.get(pBase + 2 * hidden + j);
                }
                for (int i = 0; i < batch * hidden; i++) {
                    h[i] = h0 == null ? 0 : h0.get(dir * batch * hidden + i);
                    c[i] = c0 == null ? 0 : c0.get(dir * batch * hidden + i);
                }
                boolean backward = dir == 1 || backwardOnly;
                for (int step = 0; step < steps; step++) {
                    int t = backward ? steps - 1 - step : step;
                    for (int bi = 0; bi < batch; bi++) {
                        read(in[IN], (t * batch + bi) * inputSize, x);
                        int hOff = bi * hidden;
                        for (int j = 0; j < hidden; j++) {
                            double cOld = c[hOff + j];
                            double ig = act0.apply(cOld * pi[j] + gate(w, r, x, h, hOff, biasSum, gateBase, iGate, hidden, j, inputSize));
                            double fg = act0.apply(cOld * pf[j] + gate(w, r, x, h, hOff, biasSum, gateBase, fGate, hidden, j, inputSize));
                            double gg = act1.apply(gate(w, r, x, h, hOff, biasSum, gateBase, gGate, hidden, j, inputSize));
                            double og = act0.apply(cOld * po[j] + gate(w, r, x, h, hOff, biasSum, gateBase, oGate, hidden, j, inputSize));
                            double cNew = fg * cOld + ig * gg;
                            c[hOff + j] = cNew;
                            hNew[hOff + j] = og * act2.apply(cNew);
                        }
                        System.arraycopy(hNew, hOff, h, hOff, hidden);
                    }
                    if (returnSequence) store(h, out[2], (t * dirs + dir) * batch * hidden);
                }
                store(h, out[0], dir * batch * hidden);
                store(c, out[1], dir * batch * hidden);
            }
        };
    }

    /** (bias + recurrentBias) + (x . W[row] + h . R[row]) for one unit of one gate. */
    private static double gate(Matrix w, Matrix r, double[] x, double[] h, int hOff, double[] biasSum, int gateBase, int gate,
                               int hidden, int j, int inputSize) {
        int row = gateBase + gate * hidden + j;
        return biasSum[gate * hidden + j] + (w.dot(row, x, 0, inputSize) + r.dot(row, h, hOff, hidden));
    }

    // ------------------------------------------------------------------ helpers

    private static CpuTensor[] reorder(CpuTensor[] raw, int[] order) {
        CpuTensor[] in = new CpuTensor[order.length];
        for (int i = 0; i < order.length; i++) in[i] = order[i] < raw.length ? raw[order[i]] : null;
        return in;
    }

    /** Reads {@code dst.length} elements of {@code t} from {@code offset} as doubles. */
    private static void read(CpuTensor t, int offset, double[] dst) {
        float[] f = t.f32();
        if (f != null) {
            for (int i = 0; i < dst.length; i++) dst[i] = f[offset + i];
        } else {
            for (int i = 0; i < dst.length; i++) dst[i] = t.get(offset + i);
        }
    }

    /** Rounds {@code src} once into {@code dst} from {@code offset}. */
    private static void store(double[] src, CpuTensor dst, int offset) {
        float[] f = dst.f32();
        if (f != null) {
            for (int i = 0; i < src.length; i++) f[offset + i] = (float) src[i];
        } else {
            for (int i = 0; i < src.length; i++) dst.set(offset + i, src[i]);
        }
    }

    /** Row-major weights (rows of any leading dimensions flattened) read as doubles. */
    private static final class Matrix {
        private final float[] f32;
        private final short[] f16;
        private final int cols;

        Matrix(CpuTensor t) {
            f32 = t.f32();
            f16 = t.f16();
            int[] d = t.dims();
            cols = d[d.length - 1];
        }

        /** Sum over k of this[row][k] * v[vOff + k], k < n (n == cols), accumulated in double. */
        double dot(int row, double[] v, int vOff, int n) {
            int base = row * cols;
            if (f16 != null) {
                double s = 0;
                for (int k = 0; k < n; k++) s += Float.float16ToFloat(f16[base + k]) * v[vOff + k];
                return s;
            }
            // four independent sums so the additions do not wait on each other
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int k = 0;
            for (; k + 3 < n; k += 4) {
                s0 += f32[base + k] * v[vOff + k];
                s1 += f32[base + k + 1] * v[vOff + k + 1];
                s2 += f32[base + k + 2] * v[vOff + k + 2];
                s3 += f32[base + k + 3] * v[vOff + k + 3];
            }
            for (; k < n; k++) s0 += f32[base + k] * v[vOff + k];
            return (s0 + s1) + (s2 + s3);
        }
    }

    /** The recurrent activation functions, in double. */
    private enum Activation {
        RELU, SIGMOID, TANH;

        static Activation of(MLRecurrentNetworkActivation a) {
            return switch (a) {
                case RELU -> RELU;
                case SIGMOID -> SIGMOID;
                case TANH -> TANH;
            };
        }

        double apply(double v) {
            return switch (this) {
                case RELU -> v > 0 || Double.isNaN(v) ? v : 0.0;
                case SIGMOID -> 1.0 / (1.0 + Math.exp(-v));
                case TANH -> Math.tanh(v);
            };
        }
    }
}
