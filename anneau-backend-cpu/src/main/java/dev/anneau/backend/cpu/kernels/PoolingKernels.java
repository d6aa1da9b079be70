package dev.anneau.backend.cpu.kernels;

import dev.anneau.backend.cpu.CpuTensor;
import dev.anneau.webnn.MLInputOperandLayout;
import dev.anneau.webnn.MLInterpolationMode;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.PoolingOps.PoolAttributes;
import dev.anneau.webnn.ops.PoolingOps.ResampleAttributes;

/**
 * CPU kernels of the pooling family (see {@code dev.anneau.webnn.PoolingMethods}).
 *
 * <p>Pooling windows only visit real input elements: padding is never read and never counted
 * (averagePool2d divides by the number of input elements in the window, as the reference
 * implementation does). The part of each window inside the input is planned at build time.
 */
public final class PoolingKernels {
    private PoolingKernels() {}

    public static void register(KernelRegistry registry) {
        registry.register("averagePool2d", op -> preparePool(op, Reduction.AVERAGE));
        registry.register("l2Pool2d", op -> preparePool(op, Reduction.L2));
        registry.register("maxPool2d", op -> preparePool(op, Reduction.MAX));
        registry.register("resample2d", PoolingKernels::prepareResample);
    }

    enum Reduction { AVERAGE, L2, MAX }

    /**
     * For each output row (column): the window rows (columns) [lo, hi) that fall inside the
     * input, and the input row (column) of {@code lo}; {@code step} is the dilation.
     */
    record Windows(int[] lo, int[] hi, int[] start, int step) {
        static Windows of(long window, long pad, long stride, long dilation, int input, int output) {
            int[] lo = new int[output], hi = new int[output], start = new int[output];
            for (int o = 0; o < output; o++) {
                long offset = o * stride - pad; // input position of window element 0
                long first = Math.max(0, Math.ceilDiv(-offset, dilation));
                long last = Math.min(window - 1, Math.floorDiv(input - 1 - offset, dilation));
                if (last >= first) {
                    lo[o] = (int) first;
                    hi[o] = (int) last + 1;
                    start[o] = (int) (first * dilation + offset);
                }
            }
            // two window elements inside the input are less than an input size apart
            return new Windows(lo, hi, start, (int) Math.min(dilation, Integer.MAX_VALUE));
        }

        int count(int o) { return hi[o] - lo[o]; }
    }

    static Kernel preparePool(Operation op, Reduction reduction) {
        PoolAttributes a = op.attributes(PoolAttributes.class);
        Windows rows = Windows.of(a.windowHeight(), a.padTop(), a.strideHeight(), a.dilationHeight(), a.inputHeight(),
                a.outputHeight());
        Windows cols = Windows.of(a.windowWidth(), a.padLeft(), a.strideWidth(), a.dilationWidth(), a.inputWidth(),
                a.outputWidth());
        boolean nhwc = a.layout() == MLInputOperandLayout.NHWC;
        int c = a.channels(), inH = a.inputHeight(), inW = a.inputWidth(), outH = a.outputHeight(), outW = a.outputWidth();
        // element strides of (batch, channel, row, column) in input and output
        int[] si = nhwc ? new int[] {inH * inW * c, 1, inW * c, c} : new int[] {c * inH * inW, inH * inW, inW, 1};
        int[] so = nhwc ? new int[] {outH * outW * c, 1, outW * c, c} : new int[] {c * outH * outW, outH * outW, outW, 1};
        return (in, out) -> {
            CpuTensor x = in[0], y = out[0];
            float[] xf = x.dataType() == MLOperandDataType.FLOAT32 ? x.f32() : null;
            for (int n = 0; n < a.batches(); n++) {
                for (int ch = 0; ch < c; ch++) {
                    int xBase = n * si[0] + ch * si[1];
                    int yBase = n * so[0] + ch * so[1];
                    for (int oh = 0; oh < outH; oh++) {
                        int khLo = rows.lo()[oh], khHi = rows.hi()[oh];
                        int rowStart = xBase + rows.start()[oh] * si[2], rowStep = rows.step() * si[2];
                        for (int ow = 0; ow < outW; ow++) {
                            int kwLo = cols.lo()[ow], kwHi = cols.hi()[ow];
                            int colStart = cols.start()[ow] * si[3], colStep = cols.step() * si[3];
                            int yi = yBase + oh * so[2] + ow * so[3];
                            if (reduction == Reduction.MAX) {
                                maxWindow(x, y, yi, rowStart, rowStep, khHi - khLo, colStart, colStep, kwHi - kwLo);
                                continue;
                            }
                            double sum = 0;
                            for (int kh = khLo, r = rowStart; kh < khHi; kh++, r += rowStep) {
                                for (int kw = kwLo, i = r + colStart; kw < kwHi; kw++, i += colStep) {
                                    double v = xf != null ? xf[i] : x.get(i);
                                    sum += reduction == Reduction.L2 ? v * v : v;
                                }
                            }
                            int count = rows.count(oh) * cols.count(ow);
                            // an all-padding window has no elements: its mean is undefined (NaN), its L2 norm 0
                            double v = reduction == Reduction.L2 ? Math.sqrt(sum) : sum / count;
                            MatrixKernels.store(y, yi, v);
                        }
                    }
                }
            }
        };
    }

    /**
     * Copies the largest element of one window to {@code y[yi]} (exact for every data type; NaN
     * wins, as with Math.max). An all-padding window gives -Infinity or the type's minimum.
     */
    private static void maxWindow(CpuTensor x, CpuTensor y, int yi, int rowStart, int rowStep, int rowCount,
                                  int colStart, int colStep, int colCount) {
        if (rowCount <= 0 || colCount <= 0) {
            if (x.dataType().isFloatingPoint()) y.set(yi, Double.NEGATIVE_INFINITY);
            else y.set(yi, x.dataType() == MLOperandDataType.UINT64 ? 0 : -Double.MAX_VALUE);
            return;
        }
        int best = rowStart + colStart;
        switch (x.dataType()) {
            case FLOAT32 -> {
                float[] a = x.f32();
                float m = a[best];
                for (int r = 0, ri = rowStart; r < rowCount; r++, ri += rowStep) {
                    for (int k = 0, i = ri + colStart; k < colCount; k++, i += colStep) {
                        if (a[i] > m || (a[i] != a[i] && m == m)) { m = a[i]; best = i; }
                    }
                }
            }
            case FLOAT16 -> {
                double m = x.get(best);
                for (int r = 0, ri = rowStart; r < rowCount; r++, ri += rowStep) {
                    for (int k = 0, i = ri + colStart; k < colCount; k++, i += colStep) {
                        double v = x.get(i);
                        if (!Double.isNaN(m) && (v > m || Double.isNaN(v))) { m = v; best = i; }
                    }
                }
            }
            case UINT64 -> {
                long m = x.getLong(best);
                for (int r = 0, ri = rowStart; r < rowCount; r++, ri += rowStep) {
                    for (int k = 0, i = ri + colStart; k < colCount; k++, i += colStep) {
                        long v = x.getLong(i);
                        if (Long.compareUnsigned(v, m) > 0) { m = v; best = i; }
                    }
                }
            }
            default -> { // integers: getLong is exact (unsigned types read as unsigned)
                long m = x.getLong(best);
                for (int r = 0, ri = rowStart; r < rowCount; r++, ri += rowStep) {
                    for (int k = 0, i = ri + colStart; k < colCount; k++, i += colStep) {
                        long v = x.getLong(i);
                        if (v > m) { m = v; best = i; }
                    }
                }
            }
        }
        x.copyTo(best, y, yi);
    }

    /**
     * resample2d: per resized axis and output coordinate, the two source indices and the weight
     * of the upper one, from the spec's transform {@code clamp((o + 0.5) / scale - 0.5, 0, size - 1)}
     * (nearest-neighbor: {@code ceil(c - 0.5)}, both indices equal). Other axes map to themselves.
     */
    static Kernel prepareResample(Operation op) {
        ResampleAttributes a = op.attributes(ResampleAttributes.class);
        int[] inShape = a.inputShape(), outShape = a.outputShape();
        int rank = inShape.length;
        int[] inStrides = new int[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--) {
            inStrides[d] = s;
            s *= inShape[d];
        }
        boolean linear = a.mode() == MLInterpolationMode.LINEAR;
        int[][] lo = new int[rank][], delta = new int[rank][];
        double[][] t = new double[rank][];
        for (int d = 0; d < rank; d++) {
            int size = outShape[d];
            lo[d] = new int[size];
            delta[d] = new int[size];
            t[d] = new double[size];
            int axis = d == a.axes()[0] ? 0 : d == a.axes()[1] ? 1 : -1;
            for (int o = 0; o < size; o++) {
                if (axis < 0) {
                    lo[d][o] = o * inStrides[d];
                    continue;
                }
                double c = (o + 0.5) / a.scales()[axis] - 0.5;
                c = Math.max(Math.min(c, inShape[d] - 1), 0);
                if (linear) {
                    int l = (int) Math.floor(c), h = (int) Math.ceil(c);
                    lo[d][o] = l * inStrides[d];
                    delta[d][o] = (h - l) * inStrides[d];
                    t[d][o] = c - l;
                } else {
                    lo[d][o] = (int) Math.ceil(c - 0.5) * inStrides[d];
                }
            }
        }
        int ay = a.axes()[0], ax = a.axes()[1];
        return (in, out) -> {
            CpuTensor x = in[0], y = out[0];
            MLOperandDataType type = x.dataType();
            float[] xf = type == MLOperandDataType.FLOAT32 ? x.f32() : null;
            boolean integer = !type.isFloatingPoint();
            int[] idx = new int[4];
            int o = 0;
            for (idx[0] = 0; idx[0] < outShape[0]; idx[0]++) {
                int b0 = lo[0][idx[0]];
                for (idx[1] = 0; idx[1] < outShape[1]; idx[1]++) {
                    int b1 = b0 + lo[1][idx[1]];
                    for (idx[2] = 0; idx[2] < outShape[2]; idx[2]++) {
                        int b2 = b1 + lo[2][idx[2]];
                        for (idx[3] = 0; idx[3] < outShape[3]; idx[3]++, o++) {
                            int base = b2 + lo[3][idx[3]];
                            if (!linear) {
                                x.copyTo(base, y, o);
                                continue;
                            }
                            int iy = idx[ay], ix = idx[ax];
                            int dy = delta[ay][iy], dx = delta[ax][ix];
                            double ty = t[ay][iy], tx = t[ax][ix];
                            double v00, v01, v10, v11; // v{y}{x}
                            if (xf != null) {
                                v00 = xf[base]; v01 = xf[base + dx]; v10 = xf[base + dy]; v11 = xf[base + dy + dx];
                            } else {
                                v00 = x.get(base); v01 = x.get(base + dx); v10 = x.get(base + dy); v11 = x.get(base + dy + dx);
                            }
                            double vy0 = v00 * (1 - tx) + v01 * tx;
                            double vy1 = v10 * (1 - tx) + v11 * tx;
                            double v = vy0 * (1 - ty) + vy1 * ty;
                            MatrixKernels.store(y, o, integer ? Math.rint(v) : v);
                        }
                    }
                }
            }
        };
    }
}
