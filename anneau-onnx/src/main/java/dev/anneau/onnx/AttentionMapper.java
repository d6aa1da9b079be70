package dev.anneau.onnx;

import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLPadOptions;
import dev.anneau.webnn.MLReduceOptions;
import java.util.List;

/**
 * ONNX Attention (opsets 23+) as matmul / softmax / matmul, following the ONNX reference: 3-D
 * inputs split into heads, past key/value concatenated, grouped-query heads repeated, the scale
 * applied as sqrt(scale) to both Q and K, softcap, a boolean or additive mask (padded with -inf
 * to the key length), causal and sliding-window biases aligned bottom-right with the past
 * length, the nonpad_kv_seqlen padding mask, fully masked rows giving 0, and the four
 * qk_matmul_output modes. The static parts of the bias are computed here as one constant.
 */
final class AttentionMapper {
    private AttentionMapper() {}

    static void register(MapperRegistry r) {
        r.register("Attention", 23, MapperRegistry.MAX_OPSET, AttentionMapper::attention);
        r.register("RotaryEmbedding", 23, MapperRegistry.MAX_OPSET, AttentionMapper::rotary);
    }

    /** RotaryEmbedding: rotate (pairs of) the first rotary_embedding_dim features by the cached cos/sin. */
    private static void rotary(NodeContext cx) {
        MLGraphBuilder b = cx.b();
        MLOperand x = cx.in(0);
        long[] orig = x.shape();
        boolean interleaved = cx.attrInt("interleaved", 0) != 0;
        long rd = cx.attrInt("rotary_embedding_dim", 0);
        long heads = cx.attrInt("num_heads", 0);
        if (orig.length == 4) {
            x = Ops.transpose(cx, x, 0, 2, 1, 3);
        } else if (orig.length == 3) {
            if (heads < 1) throw cx.unsupported("3-D RotaryEmbedding needs num_heads");
            x = Ops.reshape(cx, x, orig[0], orig[1], heads, orig[2] / heads);
        } else {
            throw cx.unsupported("RotaryEmbedding input of rank %d", orig.length);
        }
        long[] s = x.shape();
        long hs = s[3];
        if (rd == 0) rd = hs;
        long half = rd / 2;
        MLOperand cos = cx.in(1), sin = cx.in(2);
        if (cx.has(3)) {
            MLOperand pos = ShapeMappers.normalizeIndices(cx, 3, cos.shape()[0]);
            cos = b.gather(cos, pos, new dev.anneau.webnn.MLGatherOptions().withAxis(0));
            sin = b.gather(sin, pos, new dev.anneau.webnn.MLGatherOptions().withAxis(0));
        }
        long[] cs = cos.shape();
        if (cs[cs.length - 1] != half) throw cx.unsupported("cos cache last dimension %d is not rotary_embedding_dim / 2 = %d", cs[cs.length - 1], half);
        cos = Ops.reshape(cx, cos, s[0], s[1], 1, half);
        sin = Ops.reshape(cx, sin, s[0], s[1], 1, half);
        MLOperand rot = rd == hs ? x : b.slice(x, new int[] {0, 0, 0, 0}, new int[] {(int) s[0], (int) s[1], (int) s[2], (int) rd});
        MLOperand x1, x2;
        if (interleaved) {
            x1 = b.slice(rot, new int[] {0, 0, 0, 0}, new int[] {(int) s[0], (int) s[1], (int) s[2], (int) rd - 1},
                    new dev.anneau.webnn.MLSliceOptions().withStrides(1, 1, 1, 2));
            x2 = b.slice(rot, new int[] {0, 0, 0, 1}, new int[] {(int) s[0], (int) s[1], (int) s[2], (int) rd - 1},
                    new dev.anneau.webnn.MLSliceOptions().withStrides(1, 1, 1, 2));
        } else {
            MLOperand[] p = b.split(rot, 2, new dev.anneau.webnn.MLSplitOptions().withAxis(3));
            x1 = p[0];
            x2 = p[1];
        }
        MLOperand real = b.sub(b.mul(cos, x1), b.mul(sin, x2));
        MLOperand imag = b.add(b.mul(sin, x1), b.mul(cos, x2));
        MLOperand rotated;
        if (interleaved) {
            long[] one = {s[0], s[1], s[2], half, 1};
            rotated = Ops.reshape(cx, b.concat(List.of(Ops.reshape(cx, real, one), Ops.reshape(cx, imag, one)), 4), s[0], s[1], s[2], rd);
        } else {
            rotated = b.concat(List.of(real, imag), 3);
        }
        MLOperand y = rotated;
        if (rd < hs) {
            MLOperand rest = b.slice(x, new int[] {0, 0, 0, (int) rd}, new int[] {(int) s[0], (int) s[1], (int) s[2], (int) (hs - rd)});
            y = b.concat(List.of(rotated, rest), 3);
        }
        y = orig.length == 4 ? Ops.transpose(cx, y, 0, 2, 1, 3) : Ops.reshape(cx, y, orig);
        cx.out(0, y, cx.type(0));
    }

    private static void attention(NodeContext cx) {
        MLGraphBuilder b = cx.b();
        MLOperand q = cx.in(0), k = cx.in(1), v = cx.in(2);
        int rank = q.rank();
        long qHeadsAttr = cx.attrInt("q_num_heads", 0), kvHeadsAttr = cx.attrInt("kv_num_heads", 0);
        boolean causal = cx.attrInt("is_causal", 0) != 0;
        Float scaleAttr = cx.hasAttr("scale") ? cx.attrFloat("scale", 0) : null;
        Float softcap = cx.hasAttr("softcap") ? cx.attrFloat("softcap", 0) : null;
        long mode = cx.attrInt("qk_matmul_output_mode", 0);
        long left = cx.attrInt("left_window_size", -1), right = cx.attrInt("right_window_size", -1);
        int precisionCode = (int) cx.attrInt("softmax_precision", 0);
        MLOperandDataType t = q.dataType();
        long batch = q.shape()[0];
        if (rank == 3) {
            if (qHeadsAttr < 1 || kvHeadsAttr < 1) throw cx.unsupported("3-D Attention needs q_num_heads and kv_num_heads");
            q = heads(cx, q, qHeadsAttr);
            k = heads(cx, k, kvHeadsAttr);
            v = heads(cx, v, kvHeadsAttr);
        } else if (rank != 4) {
            throw cx.unsupported("Attention inputs of rank %d", rank);
        }
        long qLen = q.shape()[2], headSize = q.shape()[3];
        long pastLen = 0;
        if (cx.has(4) != cx.has(5)) throw cx.unsupported("past_key and past_value must be given together");
        if (cx.has(4)) {
            pastLen = cx.shape(4)[2];
            k = b.concat(List.of(cx.in(4), k), 2);
            v = b.concat(List.of(cx.in(5), v), 2);
        }
        cx.out(1, k, cx.type(1));
        cx.out(2, v, cx.type(2));
        long kvLen = k.shape()[2];
        long[] nonpad = cx.has(6) ? cx.constLongs(6) : null;
        if (nonpad != null && cx.has(4)) throw cx.unsupported("nonpad_kv_seqlen cannot be combined with a past cache");

        // the static bias: causal, sliding window and padding masks ([q, kv] or [batch, 1, q, kv])
        boolean perBatch = nonpad != null;
        long[] biasShape = perBatch ? new long[] {batch, 1, qLen, kvLen} : new long[] {qLen, kvLen};
        double[] bias = new double[(int) OnnxTensor.elementCount(biasShape)];
        boolean anyStatic = false;
        for (int bi = 0; bi < (perBatch ? batch : 1); bi++) {
            long offset = perBatch ? nonpad[bi] - qLen : pastLen;
            for (int i = 0; i < qLen; i++) {
                for (int j = 0; j < kvLen; j++) {
                    boolean allowed = true;
                    if (causal) allowed = j <= i + offset;
                    long diff = i + offset - j;
                    if (left >= 0 && diff > left) allowed = false;
                    if (right >= 0 && -diff > right) allowed = false;
                    if (perBatch && j >= nonpad[bi]) allowed = false;
                    if (!allowed) {
                        bias[(int) ((bi * qLen + i) * kvLen + j)] = Double.NEGATIVE_INFINITY;
                        anyStatic = true;
                    }
                }
            }
        }
        // the mask operand as an additive bias
        MLOperand maskBias = null;
        if (cx.has(3)) {
            MLOperand m = cx.in(3);
            long[] ms = m.shape();
            boolean isBool = cx.type(3) == ElementType.BOOL;
            long pad = kvLen - ms[ms.length - 1];
            if (pad > 0) {
                int[] pb = new int[ms.length], pe = new int[ms.length];
                pe[ms.length - 1] = (int) pad;
                m = b.pad(m, pb, pe, new MLPadOptions().withValue(isBool ? 0.0 : Double.NEGATIVE_INFINITY));
            }
            maskBias = isBool ? b.where(m, cx.scalar(t, 0), cx.scalar(t, Double.NEGATIVE_INFINITY)) : m;
        }
        MLOperand biasOp = maskBias;
        if (anyStatic) {
            OnnxTensor bt = OnnxTensor.ofDoubles(ElementType.fromWebNN(t), biasShape, bias);
            biasOp = biasOp == null ? cx.constant(bt) : b.add(biasOp, cx.constant(bt));
        }

        // grouped-query attention: repeat each key/value head
        long qHeads = q.shape()[1], kvHeads = k.shape()[1];
        if (qHeads != kvHeads) {
            if (qHeads % kvHeads != 0) throw cx.unsupported("%d query heads for %d key/value heads", qHeads, kvHeads);
            k = repeatHeads(cx, k, qHeads / kvHeads);
            v = repeatHeads(cx, v, qHeads / kvHeads);
        }
        double scale = scaleAttr != null ? scaleAttr : 1 / Math.sqrt(headSize);
        MLOperand s = cx.scalar(t, Math.sqrt(scale));
        MLOperand qk = b.matmul(b.mul(q, s), b.mul(Ops.transpose(cx, k, 0, 1, 3, 2), s));
        if (softcap != null && softcap > 0) {
            MLOperand c = cx.scalar(t, softcap);
            qk = b.mul(b.tanh(b.div(qk, c)), c);
        }
        MLOperand qkOut = qk;
        MLOperand withBias = biasOp == null ? qk : b.add(qk, biasOp);
        if (mode == 2) qkOut = withBias;
        MLOperandDataType st = t;
        if (precisionCode != 0) {
            ElementType pt = ElementType.fromOnnx(precisionCode);
            if (pt == null || pt.webnn() == null || !pt.isFloat()) throw cx.unsupported("softmax_precision %s", ElementType.describe(precisionCode));
            st = pt.webnn();
        }
        MLOperand sm = b.softmax(Ops.cast(cx, withBias, st), 3);
        if (biasOp != null) {
            // rows whose bias is -inf everywhere attend nothing: 0 (the softmax would give NaN)
            MLOperand rowMax = b.reduceMax(biasOp, new MLReduceOptions().withAxes(biasOp.rank() - 1).withKeepDimensions(true));
            MLOperand dead = b.equal(rowMax, cx.scalar(t, Double.NEGATIVE_INFINITY));
            sm = b.where(dead, cx.scalar(st, 0), sm);
        }
        if (mode == 3) qkOut = Ops.cast(cx, sm, t);
        if (mode < 0 || mode > 3) throw cx.unsupported("qk_matmul_output_mode %d", mode);
        MLOperand y = Ops.cast(cx, b.matmul(sm, Ops.cast(cx, v, st)), t);
        if (rank == 3) {
            long[] ys = y.shape();
            y = Ops.reshape(cx, Ops.transpose(cx, y, 0, 2, 1, 3), ys[0], ys[2], ys[1] * ys[3]);
        }
        cx.out(0, y, cx.type(0));
        cx.out(3, qkOut, cx.type(0));
    }

    /** [batch, seq, heads * size] to [batch, heads, seq, size]. */
    private static MLOperand heads(NodeContext cx, MLOperand x, long heads) {
        long[] s = x.shape();
        if (s[2] % heads != 0) throw cx.unsupported("hidden size %d is not a multiple of %d heads", s[2], heads);
        return Ops.transpose(cx, Ops.reshape(cx, x, s[0], s[1], heads, s[2] / heads), 0, 2, 1, 3);
    }

    /** Repeats each head {@code reps} times in a row (NumPy repeat along axis 1). */
    private static MLOperand repeatHeads(NodeContext cx, MLOperand x, long reps) {
        long[] s = x.shape();
        MLOperand e = cx.b().expand(Ops.reshape(cx, x, s[0], s[1], 1, s[2], s[3]), new long[] {s[0], s[1], reps, s[2], s[3]});
        return Ops.reshape(cx, e, s[0], s[1] * reps, s[2], s[3]);
    }
}
