package dev.anneau.onnx;

import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLReduceOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Einsum with any number of operands, folded pairwise: indices only one side needs are summed
 * away first, then each pair becomes transpose + reshape to [batch, left, contracted] and
 * [batch, contracted, right], one matmul, and reshape + transpose to the wanted order. Ellipsis
 * ("...") stands for the leading dimensions. Repeated indices within one operand (diagonals) are
 * not supported.
 */
final class EinsumMapper {
    private EinsumMapper() {}

    static void register(MapperRegistry r) {
        r.register("Einsum", 12, MapperRegistry.MAX_OPSET, EinsumMapper::einsum);
    }

    /** An operand with one label (a char) per dimension. */
    private record Term(MLOperand op, String labels) {}

    private static void einsum(NodeContext cx) {
        String eq = cx.attrString("equation", "").replace(" ", "");
        if (eq.isEmpty()) throw cx.unsupported("Einsum needs an equation");
        String lhs = eq.contains("->") ? eq.substring(0, eq.indexOf("->")) : eq;
        String[] parts = lhs.split(",", -1);
        if (parts.length != cx.inputCount()) throw cx.unsupported("Einsum equation '%s' has %d operands, the node %d", eq, parts.length, cx.inputCount());
        // ellipsis: replace by upper-case placeholder labels for the leading dimensions
        int ellipsisRank = 0;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].contains("...")) ellipsisRank = Math.max(ellipsisRank, cx.rank(i) - (parts[i].length() - 3));
        }
        String ell = "";
        for (int i = 0; i < ellipsisRank; i++) ell += (char) ('A' + i);
        List<Term> terms = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.contains("...")) {
                int r = cx.rank(i) - (p.length() - 3);
                p = p.replace("...", ell.substring(ellipsisRank - r));
            }
            if (p.length() != cx.rank(i)) throw cx.unsupported("Einsum term '%s' does not match rank %d", parts[i], cx.rank(i));
            for (int k = 0; k < p.length(); k++) {
                if (p.indexOf(p.charAt(k)) != k) throw cx.unsupported("Einsum term '%s' repeats an index (diagonals are not supported)", parts[i]);
            }
            terms.add(new Term(cx.in(i), p));
        }
        String out;
        if (eq.contains("->")) {
            out = eq.substring(eq.indexOf("->") + 2).replace("...", ell);
        } else {
            StringBuilder o = new StringBuilder(ell);
            String all = String.join("", parts).replace("...", "");
            all.chars().distinct().sorted().forEach(c -> {
                if (all.indexOf(c) == all.lastIndexOf(c)) o.append((char) c);
            });
            out = o.toString();
        }
        Term acc = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            StringBuilder later = new StringBuilder(out);
            for (int j = i + 1; j < terms.size(); j++) later.append(terms.get(j).labels());
            acc = pair(cx, acc, terms.get(i), later.toString());
        }
        acc = sumAway(cx, acc, out);
        cx.out(0, permute(cx, acc, out), cx.type(0));
    }

    private static Map<Character, Long> dims(Term t) {
        Map<Character, Long> m = new LinkedHashMap<>();
        long[] s = t.op().shape();
        for (int i = 0; i < s.length; i++) m.put(t.labels().charAt(i), s[i]);
        return m;
    }

    /** Sums the dimensions whose labels {@code keep} does not mention. */
    private static Term sumAway(NodeContext cx, Term t, String keep) {
        List<Integer> axes = new ArrayList<>();
        StringBuilder rest = new StringBuilder();
        for (int i = 0; i < t.labels().length(); i++) {
            if (keep.indexOf(t.labels().charAt(i)) < 0) axes.add(i);
            else rest.append(t.labels().charAt(i));
        }
        if (axes.isEmpty()) return t;
        MLOperand s = cx.b().reduceSum(t.op(), new MLReduceOptions().withAxes(axes.stream().mapToInt(Integer::intValue).toArray())
                .withKeepDimensions(false));
        return new Term(s, rest.toString());
    }

    private static MLOperand permute(NodeContext cx, Term t, String order) {
        if (order.length() != t.labels().length()) throw cx.unsupported("Einsum output '%s' does not match '%s'", order, t.labels());
        int[] perm = new int[order.length()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = t.labels().indexOf(order.charAt(i));
            if (perm[i] < 0) throw cx.unsupported("Einsum output index '%c' is not in the inputs", order.charAt(i));
        }
        return Ops.transpose(cx, t.op(), perm);
    }

    private static Term pair(NodeContext cx, Term a, Term b, String later) {
        a = sumAway(cx, a, b.labels() + later);
        b = sumAway(cx, b, a.labels() + later);
        Map<Character, Long> da = dims(a), db = dims(b);
        StringBuilder batch = new StringBuilder(), left = new StringBuilder(), right = new StringBuilder(), contract = new StringBuilder();
        for (char c : a.labels().toCharArray()) {
            if (db.containsKey(c)) {
                if (later.indexOf(c) >= 0) batch.append(c);
                else contract.append(c);
            } else {
                left.append(c);
            }
        }
        for (char c : b.labels().toCharArray()) if (!da.containsKey(c)) right.append(c);
        MLGraphBuilder bb = cx.b();
        // broadcast size-1 shared dimensions
        long[] bt = new long[batch.length()];
        for (int i = 0; i < bt.length; i++) {
            char c = batch.charAt(i);
            long x = da.get(c), y = db.get(c);
            if (x != y && x != 1 && y != 1) throw cx.unsupported("Einsum index '%c' has sizes %d and %d", c, x, y);
            bt[i] = Math.max(x, y);
        }
        for (char c : contract.toString().toCharArray()) {
            if (!da.get(c).equals(db.get(c))) throw cx.unsupported("Einsum contracted index '%c' has sizes %d and %d", c, da.get(c), db.get(c));
        }
        String aOrder = batch.toString() + left + contract, bOrder = batch.toString() + contract + right;
        MLOperand ap = permute(cx, a, aOrder), bp = permute(cx, b, bOrder);
        long pb = 1, pl = 1, pr = 1, pk = 1;
        for (long v : bt) pb *= v;
        for (char c : left.toString().toCharArray()) pl *= da.get(c);
        for (char c : right.toString().toCharArray()) pr *= db.get(c);
        for (char c : contract.toString().toCharArray()) pk *= da.get(c);
        ap = expandBatch(cx, ap, bt);
        bp = expandBatch(cx, bp, bt);
        MLOperand y = bb.matmul(Ops.reshape(cx, ap, pb, pl, pk), Ops.reshape(cx, bp, pb, pk, pr));
        long[] ys = new long[batch.length() + left.length() + right.length()];
        int k = 0;
        for (long v : bt) ys[k++] = v;
        for (char c : left.toString().toCharArray()) ys[k++] = da.get(c);
        for (char c : right.toString().toCharArray()) ys[k++] = db.get(c);
        return new Term(Ops.reshape(cx, y, ys), batch.toString() + left + right);
    }

    private static MLOperand expandBatch(NodeContext cx, MLOperand x, long[] batch) {
        long[] s = x.shape();
        long[] t = s.clone();
        boolean change = false;
        for (int i = 0; i < batch.length; i++) {
            if (t[i] != batch[i]) {
                t[i] = batch[i];
                change = true;
            }
        }
        return change ? cx.b().expand(x, t) : x;
    }

    static String describe(long[] s) { return Arrays.toString(s); }
}
