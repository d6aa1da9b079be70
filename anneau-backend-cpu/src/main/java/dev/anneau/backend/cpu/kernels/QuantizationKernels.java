package dev.anneau.backend.cpu.kernels;

import dev.anneau.backend.cpu.CpuTensor;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.Numbers;
import dev.anneau.webnn.ops.QuantizationOps;

/**
 * CPU kernels of the quantization family (see {@code dev.anneau.webnn.QuantizationMethods}).
 * Inputs are (input, scale, zeroPoint); scale and zeroPoint share one shape that is blockwise
 * broadcast to the input's (see {@link QuantizationOps}).
 *
 * <ul>
 * <li>{@code quantizeLinear}: {@code y = saturate(roundEven(x / scale) + zeroPoint)}. The quotient
 * is rounded to the input's float type first, as the spec's decomposition (div, roundEven, add,
 * clamp, cast) does; the rest is exact.</li>
 * <li>{@code dequantizeLinear}: {@code y = (x - zeroPoint) * scale}; the difference is exact, the
 * product rounds once into the output type.</li>
 * </ul>
 */
public final class QuantizationKernels {
    private QuantizationKernels() {}

    public static void register(KernelRegistry registry) {
        registry.register("quantizeLinear", op -> {
            BlockMap map = BlockMap.of(op);
            boolean half = op.input(0).dataType() == MLOperandDataType.FLOAT16;
            return (in, out) -> quantize(map, half, in[0], in[1], in[2], out[0]);
        });
        registry.register("dequantizeLinear", op -> {
            BlockMap map = BlockMap.of(op);
            return (in, out) -> dequantize(map, in[0], in[1], in[2], out[0]);
        });
    }

    static void quantize(BlockMap map, boolean half, CpuTensor x, CpuTensor scale, CpuTensor zeroPoint, CpuTensor y) {
        float[] xf = x.f32(), sf = scale.f32();
        map.forEach((i, s) -> {
            double q;
            if (xf != null) {
                q = (float) ((double) xf[i] / sf[s]);
            } else {
                q = Float.float16ToFloat(Numbers.doubleToHalf(x.get(i) / scale.get(s)));
            }
            // set() saturates to the output's range (NaN gives 0); the value is already an integer
            y.set(i, Math.rint(q) + zeroPoint.getLong(s));
        });
    }

    static void dequantize(BlockMap map, CpuTensor x, CpuTensor scale, CpuTensor zeroPoint, CpuTensor y) {
        float[] yf = y.f32(), sf = scale.f32();
        if (yf != null) {
            map.forEach((i, s) -> yf[i] = (float) ((double) (x.getLong(i) - zeroPoint.getLong(s)) * sf[s]));
        } else {
            map.forEach((i, s) -> y.set(i, (double) (x.getLong(i) - zeroPoint.getLong(s)) * scale.get(s)));
        }
    }

    /** Visits every input element with the index of the scale/zeroPoint element covering it. */
    static final class BlockMap {
        private final int[] dims;      // input dims
        private final int[] block;     // elements per scale element along each axis
        private final int[] sStrides;  // strides of the scale, rank-aligned to the input
        private final int size;

        BlockMap(int[] inputDims, int[] scaleDims) {
            dims = inputDims.clone();
            int rank = dims.length;
            block = new int[rank];
            sStrides = new int[rank];
            int acc = 1;
            for (int a = rank - 1; a >= 0; a--) {
                int sd = a - (rank - scaleDims.length) >= 0 ? scaleDims[a - (rank - scaleDims.length)] : 1;
                block[a] = dims[a] / sd;
                sStrides[a] = acc;
                acc *= sd;
            }
            int n = 1;
            for (int d : dims) n *= d;
            size = n;
        }

        static BlockMap of(Operation op) {
            return new BlockMap(op.input(0).type().dims(), op.input(1).type().dims());
        }

        interface Visitor {
            void visit(int inputIndex, int scaleIndex);
        }

        void forEach(Visitor v) {
            int rank = dims.length;
            if (rank == 0) {
                v.visit(0, 0);
                return;
            }
            int last = rank - 1, len = dims[last], lastBlock = block[last], lastStride = sStrides[last];
            int[] idx = new int[rank];
            int rowBase = 0; // scale offset of the current row (all axes but the last)
            for (int i = 0; i < size; i += len) {
                for (int k = 0; k < len; k++) v.visit(i + k, rowBase + (k / lastBlock) * lastStride);
                // advance the odometer over the leading axes
                for (int a = last - 1; a >= 0; a--) {
                    int before = idx[a] / block[a];
                    if (++idx[a] < dims[a]) {
                        rowBase += (idx[a] / block[a] - before) * sStrides[a];
                        break;
                    }
                    idx[a] = 0;
                    rowBase -= before * sStrides[a];
                }
            }
        }
    }
}
