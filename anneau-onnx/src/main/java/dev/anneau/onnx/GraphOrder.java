package dev.anneau.onnx;

import dev.anneau.onnx.proto.Onnx.AttributeProto;
import dev.anneau.onnx.proto.Onnx.GraphProto;
import dev.anneau.onnx.proto.Onnx.NodeProto;
import dev.anneau.onnx.proto.Onnx.TensorProto;
import dev.anneau.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Structural checks and topological order of a graph's nodes (subgraph references included). */
final class GraphOrder {
    private GraphOrder() {}

    /**
     * Returns the nodes in an order where every node comes after the producers of its inputs.
     * {@code defined} holds the names available before any node (graph inputs, initializers);
     * {@code outer} the names visible from enclosing graphs. Throws on an undefined input, a value
     * produced twice, or a cycle (naming the nodes on it).
     */
    static List<NodeProto> order(List<NodeProto> nodes, Set<String> defined, Set<String> outer, String where) {
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).getOutputList()) {
                if (o.isEmpty()) continue;
                if (defined.contains(o)) {
                    throw new OnnxImportException(where + ": node " + describe(nodes.get(i), i) + " writes '" + o
                            + "', which is already a graph input or initializer");
                }
                Integer prev = producer.put(o, i);
                if (prev != null) {
                    throw new OnnxImportException(where + ": value '" + o + "' is produced twice (nodes "
                            + describe(nodes.get(prev), prev) + " and " + describe(nodes.get(i), i) + ")");
                }
            }
        }
        int n = nodes.size();
        List<List<Integer>> users = new ArrayList<>(n);
        int[] pending = new int[n];
        for (int i = 0; i < n; i++) users.add(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            Set<String> deps = new LinkedHashSet<>();
            for (String in : nodes.get(i).getInputList()) if (!in.isEmpty()) deps.add(in);
            for (AttributeProto a : nodes.get(i).getAttributeList()) {
                if (a.hasG()) deps.addAll(freeNames(a.getG()));
                for (GraphProto g : a.getGraphsList()) deps.addAll(freeNames(g));
            }
            Set<Integer> preds = new HashSet<>();
            for (String in : deps) {
                Integer p = producer.get(in);
                if (p != null) {
                    if (p == i) {
                        throw new OnnxImportException(where + ": node " + describe(nodes.get(i), i) + " reads its own output '" + in + "' (cycle)");
                    }
                    preds.add(p);
                } else if (!defined.contains(in) && !outer.contains(in)) {
                    throw new OnnxImportException(where + ": node " + describe(nodes.get(i), i) + " reads '" + in
                            + "', which no node, graph input or initializer defines");
                }
            }
            pending[i] = preds.size();
            for (int p : preds) users.get(p).add(i);
        }
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < n; i++) if (pending[i] == 0) ready.add(i);
        List<NodeProto> out = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            int i = ready.poll();
            out.add(nodes.get(i));
            for (int u : users.get(i)) if (--pending[u] == 0) ready.add(u);
        }
        if (out.size() != n) {
            List<String> stuck = new ArrayList<>();
            for (int i = 0; i < n && stuck.size() < 8; i++) if (pending[i] > 0) stuck.add(describe(nodes.get(i), i));
            throw new OnnxImportException(where + ": the graph has a cycle through nodes " + stuck);
        }
        return out;
    }

    /** Names a (sub)graph reads that it does not define itself. */
    static Set<String> freeNames(GraphProto g) {
        Set<String> defined = new HashSet<>();
        for (ValueInfoProto v : g.getInputList()) defined.add(v.getName());
        for (TensorProto t : g.getInitializerList()) defined.add(t.getName());
        for (NodeProto n : g.getNodeList()) defined.addAll(n.getOutputList());
        Set<String> free = new LinkedHashSet<>();
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) if (!in.isEmpty() && !defined.contains(in)) free.add(in);
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) for (String f : freeNames(a.getG())) if (!defined.contains(f)) free.add(f);
                for (GraphProto sg : a.getGraphsList()) for (String f : freeNames(sg)) if (!defined.contains(f)) free.add(f);
            }
        }
        for (ValueInfoProto v : g.getOutputList()) if (!defined.contains(v.getName())) free.add(v.getName());
        return free;
    }

    static String describe(NodeProto n, int index) {
        return (n.getName().isEmpty() ? "#" + index : "'" + n.getName() + "'") + " (" + n.getOpType() + ")";
    }
}
