package dev.anneau.backend.cpu.kernels;

import dev.anneau.backend.cpu.CpuTensor;
import dev.anneau.backend.cpu.simd.FloatKernels;
import dev.anneau.webnn.MLInputOperandLayout;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.ConvolutionOps.ConvAttributes;
import java.util.Arrays;

/**
 * CPU kernels of the convolution family (see {@code dev.anneau.webnn.ConvolutionMethods}).
 *
 * <p>Both operators run one canonical loop: the input is viewed as NCHW floats (an nhwc input is
 * transposed once per dispatch, float16 widened), the filter is repacked into OIHW (conv2d) or
 * IOHW (convTranspose2d) — once at build time when it is a constant — and each output element is
 * accumulated in double over its window in (input channel, kh, kw) order, then biased, rounded
 * once and written in the output layout. Window bounds are planned at build time. conv2d runs on
 * {@link FloatKernels#gemm} (Vector API when available); convTranspose2d on scalar loops.
 */
public final class ConvolutionKernels {
    private ConvolutionKernels() {}

    public static void register(KernelRegistry registry) {
        FloatKernels simd = registry.simd();
        registry.register("conv2d", op -> prepare(op, simd));
        registry.register("convTranspose2d", op -> prepare(op, simd));
    }

    static Kernel prepare(Operation op, FloatKernels simd) {
        ConvAttributes a = op.attributes(ConvAttributes.class);
        String canonical = a.transposed() ? "iohw" : "oihw";
        MLOperand filter = op.input(1);
        int[] filterDims = filter.type().dims();
        float[] constantFilter = null;
        if (filter.kind() == MLOperand.Kind.CONSTANT) {
            CpuTensor t = new CpuTensor(filter.type());
            t.readFrom(filter.constantData());
            constantFilter = repack(MatrixKernels.floats(t), filterDims, a.filterLayout(), canonical);
        }
        float[] packed = constantFilter;
        Plan plan = a.transposed() ? Plan.transposed(a) : Plan.forward(a);
        return (in, out) -> {
            float[] w = packed != null ? packed
                    : repack(MatrixKernels.floats(in[1]), filterDims, a.filterLayout(), canonical);
            float[] x = nchw(in[0], a);
            double[] bias = null;
            if (a.hasBias()) {
                bias = new double[a.outputChannels()];
                for (int i = 0; i < bias.length; i++) bias[i] = in[2].get(i);
            }
            if (a.transposed()) runTransposed(a, plan, x, w, bias, out[0]);
            else runForward(simd, a, plan, x, w, bias, out[0]);
        };
    }

    /**
     * For each filter row (column) the range of output rows (columns) whose window reaches the
     * input there, and the input row (column) of the first one; for convTranspose2d the range of
     * input rows (columns) that land inside the output, and the output row (column) of the first.
     */
    record Plan(int[] loH, int[] hiH, int[] startH, int strideH, int[] loW, int[] hiW, int[] startW, int strideW) {

        static Plan forward(ConvAttributes a) {
            int kh = a.filterHeight(), kw = a.filterWidth();
            int[] loH = new int[kh], hiH = new int[kh], startH = new int[kh];
            int[] loW = new int[kw], hiW = new int[kw], startW = new int[kw];
            for (int i = 0; i < kh; i++) {
                range(i * a.dilationHeight() - a.padTop(), a.strideHeight(), a.inputHeight(), a.outputHeight(),
                        loH, hiH, startH, i);
            }
            for (int i = 0; i < kw; i++) {
                range(i * a.dilationWidth() - a.padLeft(), a.strideWidth(), a.inputWidth(), a.outputWidth(),
                        loW, hiW, startW, i);
            }
            return new Plan(loH, hiH, startH, clampStride(a.strideHeight()), loW, hiW, startW,
                    clampStride(a.strideWidth()));
        }

        static Plan transposed(ConvAttributes a) {
            int kh = a.filterHeight(), kw = a.filterWidth();
            int[] loH = new int[kh], hiH = new int[kh], startH = new int[kh];
            int[] loW = new int[kw], hiW = new int[kw], startW = new int[kw];
            for (int i = 0; i < kh; i++) {
                range(i * a.dilationHeight() - a.padTop(), a.strideHeight(), a.outputHeight(), a.inputHeight(),
                        loH, hiH, startH, i);
            }
            for (int i = 0; i < kw; i++) {
                range(i * a.dilationWidth() - a.padLeft(), a.strideWidth(), a.outputWidth(), a.inputWidth(),
                        loW, hiW, startW, i);
            }
            return new Plan(loH, hiH, startH, clampStride(a.strideHeight()), loW, hiW, startW,
                    clampStride(a.strideWidth()));
        }

        /**
         * Positions {@code p} in [0, count) with {@code 0 <= p * stride + offset < limit}: stores
         * the half-open range [lo, hi) and {@code lo * stride + offset}. All in long: offsets and
         * strides are unsigned 32-bit values.
         */
        private static void range(long offset, long stride, long limit, long count, int[] lo, int[] hi, int[] start,
                                  int i) {
            long first = Math.max(0, Math.ceilDiv(-offset, stride));
            long last = Math.min(count - 1, Math.floorDiv(limit - 1 - offset, stride));
            if (last < first) {
                lo[i] = 0;
                hi[i] = 0;
                start[i] = 0;
            } else {
                lo[i] = (int) first;
                hi[i] = (int) last + 1;
                start[i] = (int) (first * stride + offset);
            }
        }

        /** A stride only matters when a range holds two or more positions, and then it is below an int size. */
        private static int clampStride(long stride) { return (int) Math.min(stride, Integer.MAX_VALUE); }
    }

    /** Repacks a 4-D filter from {@code layout} into {@code canonical} (both spelled with o, i, h, w). */
    static float[] repack(float[] src, int[] dims, String layout, String canonical) {
        if (layout.equals(canonical)) return src;
        int[] strides = new int[4];
        int acc = 1;
        for (int d = 3; d >= 0; d--) {
            strides[d] = acc;
            acc *= dims[d];
        }
        int[] n = new int[4], s = new int[4];
        for (int d = 0; d < 4; d++) {
            int from = layout.indexOf(canonical.charAt(d));
            n[d] = dims[from];
            s[d] = strides[from];
        }
        float[] dst = new float[src.length];
        int o = 0;
        for (int i0 = 0; i0 < n[0]; i0++) {
            for (int i1 = 0; i1 < n[1]; i1++) {
                for (int i2 = 0; i2 < n[2]; i2++) {
                    int base = i0 * s[0] + i1 * s[1] + i2 * s[2];
                    for (int i3 = 0; i3 < n[3]; i3++) dst[o++] = src[base + i3 * s[3]];
                }
            }
        }
        return dst;
    }

    /** The input as NCHW floats (the float32 array itself when it already is). */
    static float[] nchw(CpuTensor input, ConvAttributes a) {
        float[] x = MatrixKernels.floats(input);
        if (a.inputLayout() != MLInputOperandLayout.NHWC) return x;
        int n = a.batches(), c = a.inputChannels(), hw = a.inputHeight() * a.inputWidth();
        float[] t = new float[x.length];
        for (int b = 0; b < n; b++) {
            int base = b * c * hw;
            for (int p = 0; p < hw; p++) {
                int src = base + p * c;
                for (int ch = 0; ch < c; ch++) t[base + ch * hw + p] = x[src + ch];
            }
        }
        return t;
    }

    /**
     * conv2d, one output row at a time: the (input channel, kh, kw) window positions that reach the
     * input from this row become the terms of one {@link FloatKernels#gemm} (an implicit im2col),
     * each adding to the output columns whose window position lies inside the input (the padding
     * adds nothing). Each sum adds its products in (channel, kh, kw) order, in double.
     */
    static void runForward(FloatKernels simd, ConvAttributes a, Plan plan, float[] x, float[] w, double[] bias,
                           CpuTensor y) {
        int inW = a.inputWidth(), inPlane = a.inputHeight() * inW;
        int outH = a.outputHeight(), outW = a.outputWidth();
        int kH = a.filterHeight(), kW = a.filterWidth();
        int groups = a.groups(), cg = a.inputChannelsPerGroup(), og = a.outputChannelsPerGroup();
        int sH = plan.strideH(), sW = plan.strideW();
        int[] loH = plan.loH(), hiH = plan.hiH(), startH = plan.startH();
        int[] loW = plan.loW(), hiW = plan.hiW(), startW = plan.startW();
        int window = cg * kH * kW;
        // gemm addresses b (the input) as b[term + column * stride] in int: fine unless strides or padding are huge
        boolean indexable = (long) sW * (outW + 64) + x.length < Integer.MAX_VALUE;
        int[] aTerms = new int[window], bTerms = new int[window], from = new int[window], to = new int[window];
        int[] termKw = new int[window], termRow = new int[window];
        double[] c = new double[og * outW];
        for (int n = 0; n < a.batches(); n++) {
            int xBatch = n * a.inputChannels() * inPlane;
            for (int g = 0; g < groups; g++) {
                int wGroup = g * og * window;
                for (int oh = 0; oh < outH; oh++) {
                    int count = 0;
                    for (int il = 0; il < cg; il++) {
                        for (int kh = 0; kh < kH; kh++) {
                            if (oh < loH[kh] || oh >= hiH[kh]) continue;
                            int row = (g * cg + il) * inPlane + (startH[kh] + (oh - loH[kh]) * sH) * inW;
                            for (int kw = 0; kw < kW; kw++) {
                                if (loW[kw] >= hiW[kw]) continue;
                                aTerms[count] = (il * kH + kh) * kW + kw;
                                from[count] = loW[kw];
                                to[count] = hiW[kw];
                                termKw[count] = kw;
                                termRow[count] = row;
                                // the input column of output column 0, outside the input unless loW is 0
                                if (indexable) bTerms[count] = row + startW[kw] - loW[kw] * sW;
                                count++;
                            }
                        }
                    }
                    if (indexable) {
                        simd.gemm(w, wGroup, window, x, xBatch, sW, new FloatKernels.Terms(aTerms, bTerms, from, to, count),
                                og, outW, c, 0, outW);
                    } else {
                        // one element at a time, each term at its own input column
                        for (int ol = 0; ol < og; ol++) {
                            int wRow = wGroup + ol * window;
                            for (int ow = 0; ow < outW; ow++) {
                                double s = 0;
                                for (int t = 0; t < count; t++) {
                                    int kw = termKw[t];
                                    if (ow < loW[kw] || ow >= hiW[kw]) continue;
                                    s += w[wRow + aTerms[t]]
                                            * (double) x[xBatch + termRow[t] + startW[kw] + (ow - loW[kw]) * sW];
                                }
                                c[ol * outW + ow] = s;
                            }
                        }
                    }
                    for (int ol = 0; ol < og; ol++) {
                        int oc = g * og + ol;
                        writeRow(a, c, ol * outW, bias == null ? 0 : bias[oc], n, oc, oh, y);
                    }
                }
            }
        }
    }

    /** Adds the bias, rounds once and stores one output row of channel {@code oc} in the output layout. */
    private static void writeRow(ConvAttributes a, double[] c, int cOff, double bias, int n, int oc, int oh, CpuTensor y) {
        int outW = a.outputWidth(), channels = a.outputChannels();
        boolean nhwc = a.inputLayout() == MLInputOperandLayout.NHWC;
        int base = nhwc ? ((n * a.outputHeight() + oh) * outW) * channels + oc
                : ((n * channels + oc) * a.outputHeight() + oh) * outW;
        int step = nhwc ? channels : 1;
        if (y.dataType() == MLOperandDataType.FLOAT32) {
            float[] out = y.f32();
            for (int p = 0, o = base; p < outW; p++, o += step) out[o] = (float) (c[cOff + p] + bias);
        } else {
            for (int p = 0, o = base; p < outW; p++, o += step) y.set(o, c[cOff + p] + bias);
        }
    }

    static void runTransposed(ConvAttributes a, Plan plan, float[] x, float[] w, double[] bias, CpuTensor y) {
        int inH = a.inputHeight(), inW = a.inputWidth(), inPlane = inH * inW;
        int outH = a.outputHeight(), outW = a.outputWidth(), outPlane = outH * outW;
        int kH = a.filterHeight(), kW = a.filterWidth();
        int groups = a.groups(), cg = a.inputChannelsPerGroup(), og = a.outputChannelsPerGroup();
        int sH = plan.strideH(), sW = plan.strideW();
        double[] acc = new double[outPlane];
        for (int n = 0; n < a.batches(); n++) {
            for (int g = 0; g < groups; g++) {
                for (int ol = 0; ol < og; ol++) {
                    int oc = g * og + ol;
                    Arrays.fill(acc, 0);
                    for (int il = 0; il < cg; il++) {
                        int ic = g * cg + il;
                        int xBase = (n * a.inputChannels() + ic) * inPlane;
                        int wBase = (ic * og + ol) * kH * kW;
                        for (int kh = 0; kh < kH; kh++) {
                            int ihLo = plan.loH()[kh], ihHi = plan.hiH()[kh], oh0 = plan.startH()[kh];
                            if (ihLo >= ihHi) continue;
                            for (int kw = 0; kw < kW; kw++) {
                                int iwLo = plan.loW()[kw], iwHi = plan.hiW()[kw], ow0 = plan.startW()[kw];
                                if (iwLo >= iwHi) continue;
                                double wv = w[wBase + kh * kW + kw];
                                for (int ih = ihLo, oh = oh0; ih < ihHi; ih++, oh += sH) {
                                    int xRow = xBase + ih * inW;
                                    int p = oh * outW + ow0;
                                    if (sW == 1) {
                                        int shift = p - iwLo - xRow;
                                        for (int xi = xRow + iwLo; xi < xRow + iwHi; xi++) acc[xi + shift] += wv * x[xi];
                                    } else {
                                        for (int iw = iwLo; iw < iwHi; iw++, p += sW) acc[p] += wv * x[xRow + iw];
                                    }
                                }
                            }
                        }
                    }
                    writePlane(a, acc, bias == null ? 0 : bias[oc], n, oc, y);
                }
            }
        }
    }

    /** Adds the bias, rounds once and stores one output channel plane in the output layout. */
    private static void writePlane(ConvAttributes a, double[] acc, double bias, int n, int oc, CpuTensor y) {
        int plane = acc.length, channels = a.outputChannels();
        boolean nhwc = a.inputLayout() == MLInputOperandLayout.NHWC;
        int base = nhwc ? n * plane * channels + oc : (n * channels + oc) * plane;
        int step = nhwc ? channels : 1;
        if (y.dataType() == MLOperandDataType.FLOAT32) {
            float[] out = y.f32();
            for (int p = 0, o = base; p < plane; p++, o += step) out[o] = (float) (acc[p] + bias);
        } else {
            for (int p = 0, o = base; p < plane; p++, o += step) y.set(o, acc[p] + bias);
        }
    }
}
