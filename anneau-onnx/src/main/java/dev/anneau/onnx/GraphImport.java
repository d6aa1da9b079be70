package dev.anneau.onnx;

import dev.anneau.onnx.OnnxUnsupportedException.Issue;
import dev.anneau.onnx.proto.Onnx.AttributeProto;
import dev.anneau.onnx.proto.Onnx.FunctionProto;
import dev.anneau.onnx.proto.Onnx.GraphProto;
import dev.anneau.onnx.proto.Onnx.NodeProto;
import dev.anneau.onnx.proto.Onnx.OperatorSetIdProto;
import dev.anneau.onnx.proto.Onnx.TensorProto;
import dev.anneau.onnx.proto.Onnx.ValueInfoProto;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.WebNNException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * One import of a model for one set of input shapes: walks the nodes in topological order,
 * folds what is known at import time, maps the rest to builder calls, collects every problem
 * and either builds the graph or throws one {@link OnnxUnsupportedException} listing them all.
 */
final class GraphImport {
    private final MLContext context;
    private final OnnxModel model;
    private final ImportOptions options;
    private final MapperRegistry registry;
    private MLGraphBuilder builder;
    private final List<Issue> issues = new ArrayList<>();
    private final Set<String> wantValues = new LinkedHashSet<>();
    private final Map<OnnxTensor, MLOperand> constCache = new IdentityHashMap<>();
    private final Map<String, MLOperand> scalarCache = new HashMap<>();
    private final Set<String> reportedMissing = new HashSet<>();
    private int depth;

    GraphImport(MLContext context, OnnxModel model, ImportOptions options, MapperRegistry registry) {
        this.context = context;
        this.model = model;
        this.options = options;
        this.registry = registry;
    }

    OnnxModel model() { return model; }

    MLGraphBuilder builder() { return builder; }

    MLContext context() { return context; }

    int issueCount() { return issues.size(); }

    ImportedGraph run() {
        long t0 = System.nanoTime();
        builder = new MLGraphBuilder(context);
        Scope root = new Scope(null);
        model.initializers().forEach((name, t) -> root.put(name, Value.ofConstant(name, t, Set.of())));
        List<ImportedGraph.Input> graphInputs = new ArrayList<>();
        Map<String, MLOperand> inputOperands = new LinkedHashMap<>();
        Set<String> folded = new LinkedHashSet<>();
        for (String name : options.inputValues().keySet()) {
            if (model.inputs().stream().noneMatch(i -> i.name().equals(name))) {
                throw new OnnxImportException("ImportOptions gives a value for '" + name + "', which is not a graph input; inputs: "
                        + model.inputs().stream().map(OnnxModel.ValueInfo::name).toList());
            }
        }
        for (OnnxModel.ValueInfo in : model.inputs()) {
            Value v = declareInput(in, graphInputs, inputOperands, folded);
            root.put(in.name(), v);
        }
        Set<String> defined = new HashSet<>(model.initializers().keySet());
        for (ValueInfoProto v : model.graph().getInputList()) defined.add(v.getName());
        runNodes(model.graph().getNodeList(), root, model.opsets(), defined, Set.of(), "graph");

        Map<String, MLOperand> outs = new LinkedHashMap<>();
        List<ImportedGraph.Output> outputs = new ArrayList<>();
        Set<MLOperand> used = Collections.newSetFromMap(new IdentityHashMap<>());
        for (OnnxModel.ValueInfo o : model.outputs()) {
            Value v = root.lookup(o.name());
            if (v == null || v.state == Value.State.POISONED) continue;
            if (v.state == Value.State.MISSING) {
                reportMissing(v, "graph output", "output");
                continue;
            }
            if ("tensor".equals(o.kind()) && o.elemTypeCode() != 0 && ElementType.fromOnnx(o.elemTypeCode()) != v.type) {
                issues.add(new Issue("graph output '" + o.name() + "'", "output", "the model declares "
                        + ElementType.describe(o.elemTypeCode()) + ", the import computed " + v.type));
                continue;
            }
            if (v.constant != null) {
                outputs.add(new ImportedGraph.Output(o.name(), v.type, v.shape, v.constant));
                continue;
            }
            MLOperand op = v.operand;
            try {
                if (op.kind() != MLOperand.Kind.OPERATION || !used.add(op)) op = builder.identity(op);
                used.add(op);
                outs.put(o.name(), op);
                outputs.add(new ImportedGraph.Output(o.name(), v.type, v.shape, null));
            } catch (WebNNException e) {
                issues.add(new Issue("graph output '" + o.name() + "'", "output", e.getMessage()));
            }
        }
        if (!issues.isEmpty()) throw new OnnxUnsupportedException(issues, wantValues);
        MLGraph graph = null;
        long t1 = System.nanoTime();
        if (!outs.isEmpty()) {
            try {
                graph = builder.build(outs).join();
            } catch (CompletionException e) {
                Throwable c = e.getCause() != null ? e.getCause() : e;
                throw new OnnxUnsupportedException(List.of(new Issue("graph", "build", "the " + context.backendName()
                        + " backend could not build the graph: " + c.getMessage())));
            }
        }
        List<ImportedGraph.Input> needed = new ArrayList<>();
        if (graph != null) {
            for (ImportedGraph.Input in : graphInputs) if (graph.inputs().containsKey(in.name())) needed.add(in);
        }
        return new ImportedGraph(graph, needed, outputs, folded, t1 - t0, System.nanoTime() - t1);
    }

    private Value declareInput(OnnxModel.ValueInfo in, List<ImportedGraph.Input> graphInputs, Map<String, MLOperand> ops,
                               Set<String> folded) {
        String name = in.name();
        Issue problem = null;
        if (!"tensor".equals(in.kind())) {
            problem = new Issue("graph input '" + name + "'", "input", "a " + in.kind() + " input; only tensors are supported");
        } else if (in.type() == null || in.type().webnn() == null) {
            problem = new Issue("graph input '" + name + "'", "input", "element type " + ElementType.describe(in.elemTypeCode())
                    + " has no WebNN equivalent");
        }
        OnnxTensor fixed = options.inputValues().get(name);
        if (problem != null && fixed == null) {
            issues.add(problem);
            return Value.poisoned(name);
        }
        if (fixed != null) {
            if (in.type() != null && fixed.type() != in.type()) {
                throw new OnnxImportException("input '" + name + "': the model declares " + in.type() + ", the value given is " + fixed.type());
            }
            checkShape(in, fixed.shape());
            folded.add(name);
            return Value.ofConstant(name, fixed, Set.of(name));
        }
        long[] shape = resolveShape(in);
        if (OnnxTensor.elementCount(shape) == 0) {
            return Value.ofConstant(name, OnnxTensor.zeros(in.type(), shape), Set.of(name));
        }
        try {
            MLOperand op = builder.input(name, new MLOperandDescriptor(in.type().webnn(), shape));
            ops.put(name, op);
            graphInputs.add(new ImportedGraph.Input(name, in.type(), shape));
            return Value.ofOperand(name, op, in.type(), Set.of(name));
        } catch (WebNNException e) {
            issues.add(new Issue("graph input '" + name + "'", "input", e.getMessage()));
            return Value.poisoned(name);
        }
    }

    private long[] resolveShape(OnnxModel.ValueInfo in) {
        long[] given = options.inputShape(in.name());
        if (given != null) {
            checkShape(in, given);
            return given;
        }
        if (in.dims() == null) {
            throw new OnnxImportException("input '" + in.name() + "' declares no shape; give it with ImportOptions.withInputShape"
                    + " (or run through OnnxSession, which takes it from the data)");
        }
        long[] s = new long[in.dims().size()];
        for (int i = 0; i < s.length; i++) {
            OnnxModel.Dim d = in.dims().get(i);
            if (d.value() >= 0) {
                s[i] = d.value();
            } else if (d.param() != null && options.freeDimensionOverrides().containsKey(d.param())) {
                s[i] = options.freeDimensionOverrides().get(d.param());
            } else {
                throw new OnnxImportException("input '" + in.name() + "' dimension " + i + " is free ("
                        + (d.param() != null ? "'" + d.param() + "'" : "unnamed") + "); bind it with ImportOptions.freeDimensionOverrides"
                        + (d.param() != null ? "(Map.of(\"" + d.param() + "\", N))" : "") + " or give the input's shape");
            }
        }
        return s;
    }

    private static void checkShape(OnnxModel.ValueInfo in, long[] shape) {
        for (long d : shape) {
            if (d < 0) throw new OnnxImportException("input '" + in.name() + "': negative dimension in " + Arrays.toString(shape));
        }
        if (in.dims() == null) return;
        if (in.dims().size() != shape.length) {
            throw new OnnxImportException("input '" + in.name() + "' has rank " + in.dims().size() + " (" + in.dims()
                    + "), the shape given is " + Arrays.toString(shape));
        }
        for (int i = 0; i < shape.length; i++) {
            long want = in.dims().get(i).value();
            if (want >= 0 && want != shape[i]) {
                throw new OnnxImportException("input '" + in.name() + "' dimension " + i + " is fixed to " + want
                        + " by the model, the shape given is " + Arrays.toString(shape));
            }
        }
    }

    // ------------------------------------------------------------------ nodes

    /** Runs a list of nodes in {@code scope}; {@code defined}/{@code outer} are for the structural check. */
    void runNodes(List<NodeProto> nodes, Scope scope, Map<String, Integer> opsets, Set<String> defined, Set<String> outer,
                  String where) {
        List<NodeProto> ordered = GraphOrder.order(nodes, defined, outer, where);
        for (int i = 0; i < ordered.size(); i++) runNode(ordered.get(i), i, scope, opsets);
    }

    /**
     * Imports a subgraph (an If branch) in a child scope of {@code scope}; returns its output
     * values in order (poisoned ones where it failed).
     */
    List<Value> runSubgraph(GraphProto g, Scope scope, Map<String, Integer> opsets, String where) {
        if (++depth > 64) throw new OnnxImportException(where + ": subgraphs nest more than 64 deep");
        try {
            Scope child = new Scope(scope);
            Set<String> defined = new HashSet<>();
            for (TensorProto t : g.getInitializerList()) {
                child.put(t.getName(), Value.ofConstant(t.getName(), TensorProtos.toTensor(t, model.baseDir(),
                        where + " initializer '" + t.getName() + "'"), Set.of()));
                defined.add(t.getName());
            }
            if (g.getInputCount() > 0) {
                throw new NodeContext.Unsupported(where + " declares inputs; only input-less subgraphs (If branches) are supported");
            }
            runNodes(g.getNodeList(), child, opsets, defined, new OuterNames(scope), where);
            List<Value> out = new ArrayList<>();
            for (ValueInfoProto o : g.getOutputList()) {
                Value v = child.lookup(o.getName());
                out.add(v != null ? v : Value.missing(o.getName(), "not defined in " + where));
            }
            return out;
        } finally {
            depth--;
        }
    }

    /** Names visible from an enclosing scope, for the structural check of subgraphs. */
    private static final class OuterNames extends java.util.AbstractSet<String> {
        private final Scope scope;

        OuterNames(Scope scope) { this.scope = scope; }

        @Override
        public boolean contains(Object o) { return o instanceof String s && scope.lookup(s) != null; }

        @Override
        public java.util.Iterator<String> iterator() { return Collections.emptyIterator(); }

        @Override
        public int size() { return 0; }
    }

    private void runNode(NodeProto n, int index, Scope scope, Map<String, Integer> opsets) {
        String domain = OnnxModel.normalizeDomain(n.getDomain());
        String op = n.getOpType();
        Value[] ins = new Value[n.getInputCount()];
        boolean poisoned = false;
        for (int i = 0; i < ins.length; i++) {
            String name = n.getInput(i);
            if (name.isEmpty()) continue;
            Value v = scope.lookup(name);
            if (v == null) throw new OnnxImportException("node " + GraphOrder.describe(n, index) + " reads undefined value '" + name + "'");
            if (v.state == Value.State.MISSING) {
                reportMissing(v, GraphOrder.describe(n, index), op);
                poisoned = true;
            } else if (v.state == Value.State.POISONED) {
                poisoned = true;
            }
            ins[i] = v;
        }
        Integer opset = opsets.get(domain);
        OpMapper mapper = opset == null ? null : registry.find(domain, op, opset);
        FunctionProto function = model.functions().get(domain + "::" + op);
        String nodeName = n.getName().isEmpty() ? "#" + index : n.getName();
        String fullOp = domain.isEmpty() ? op : domain + "::" + op;
        if (mapper == null && function == null) {
            String why;
            if (opset == null) why = "the model imports no opset for domain '" + domain + "'";
            else if (!registry.knows(domain, op)) why = "operator " + fullOp + " is not supported";
            else if (domain.isEmpty() && opset > MapperRegistry.MAX_OPSET) {
                why = "opset " + opset + " is newer than the importer covers (up to " + MapperRegistry.MAX_OPSET + ")";
            } else why = "operator " + fullOp + " is not supported at opset " + opset;
            issues.add(new Issue(nodeName, fullOp, why));
            poison(n, scope);
            return;
        }
        if (poisoned) {
            poison(n, scope);
            return;
        }
        try {
            NodeContext cx = null;
            boolean done = false;
            if (mapper != null && allConstant(ins) && ConstEval.supports(op) && domain.isEmpty()) {
                NodeContext fold = new NodeContext(this, n, index, opset, scope, ins);
                try {
                    done = ConstEval.eval(fold);
                    if (done) cx = fold;
                } catch (NodeContext.Unsupported e) {
                    if (anyEmpty(ins)) throw e;
                }
            }
            if (!done) {
                cx = new NodeContext(this, n, index, opset == null ? 0 : opset, scope, ins);
                if (mapper != null) {
                    if (ins.length > 0 && ins[0] != null && ins[0].size() == 0 && sameShape(op)) {
                        // an empty input of a shape-preserving operator: the output is the same empty tensor
                        cx.ignore(n.getAttributeList().stream().map(AttributeProto::getName).toArray(String[]::new));
                        cx.outConst(0, OnnxTensor.zeros(ins[0].type, ins[0].shape));
                    } else {
                        mapper.map(cx);
                    }
                } else {
                    inlineFunction(function, cx, domain);
                }
            }
            List<String> unread = cx.unreadAttributes();
            if (!unread.isEmpty()) {
                for (String a : unread) issues.add(new Issue(nodeName, fullOp, "attribute '" + a + "' is not supported"));
                poison(n, scope);
                return;
            }
            for (int i = 0; i < n.getOutputCount(); i++) {
                String o = n.getOutput(i);
                if (o.isEmpty()) continue;
                Value v = cx.outputs[i];
                scope.put(o, v != null ? v : Value.missing(o, "output " + i + " of node " + nodeName + " (" + fullOp
                        + ") is not computed by the importer"));
            }
        } catch (NodeContext.NeedsConstant e) {
            wantValues.addAll(e.value.inputDeps);
            issues.add(new Issue(nodeName, fullOp, e.getMessage()));
            poison(n, scope);
        } catch (NodeContext.Unsupported | OnnxImportException e) {
            issues.add(new Issue(nodeName, fullOp, e.getMessage()));
            poison(n, scope);
        } catch (WebNNException e) {
            issues.add(new Issue(nodeName, fullOp, "WebNN " + e.getClass().getSimpleName() + ": " + e.getMessage()));
            poison(n, scope);
        } catch (RuntimeException e) {
            issues.add(new Issue(nodeName, fullOp, "importer failure: " + e));
            poison(n, scope);
        }
    }

    /** Operators whose output has the shape and type of their first input (elementwise unary, activations, Trilu...). */
    private static boolean sameShape(String op) {
        return switch (op) {
            case "Abs", "Neg", "Sqrt", "Exp", "Log", "Erf", "Sin", "Cos", "Tan", "Floor", "Ceil", "Round", "Reciprocal", "Sign",
                 "Relu", "Sigmoid", "Tanh", "Softplus", "Softsign", "HardSwish", "LeakyRelu", "Elu", "Selu", "Celu", "HardSigmoid",
                 "ThresholdedRelu", "Mish", "Shrink", "Clip", "Gelu", "Softmax", "LogSoftmax", "Trilu", "CumSum", "Identity",
                 "Dropout", "Not", "LRN" -> true;
            default -> false;
        };
    }

    private static boolean allConstant(Value[] ins) {
        for (Value v : ins) if (v != null && !v.isConstant()) return false;
        return true;
    }

    private static boolean anyEmpty(Value[] ins) {
        for (Value v : ins) if (v != null && v.ok() && v.size() == 0) return true;
        return false;
    }

    private void poison(NodeProto n, Scope scope) {
        for (String o : n.getOutputList()) if (!o.isEmpty()) scope.put(o, Value.poisoned(o));
    }

    private void reportMissing(Value v, String where, String op) {
        if (reportedMissing.add(v.name)) issues.add(new Issue(where, op, v.missingReason));
    }

    // ------------------------------------------------------------------ model-local functions

    private void inlineFunction(FunctionProto f, NodeContext cx, String domain) {
        if (++depth > 64) throw new OnnxImportException("functions nest more than 64 deep at " + cx.name());
        try {
            Map<String, Integer> opsets = new HashMap<>();
            for (OperatorSetIdProto o : f.getOpsetImportList()) opsets.put(OnnxModel.normalizeDomain(o.getDomain()), (int) o.getVersion());
            Map<String, AttributeProto> given = new HashMap<>();
            for (AttributeProto a : cx.node.getAttributeList()) given.put(a.getName(), a);
            for (AttributeProto a : f.getAttributeProtoList()) given.putIfAbsent(a.getName(), a);
            cx.ignore(given.keySet().toArray(new String[0]));
            Scope s = new Scope(null);
            Set<String> defined = new HashSet<>();
            for (int i = 0; i < f.getInputCount(); i++) {
                String formal = f.getInput(i);
                defined.add(formal);
                if (cx.has(i)) s.put(formal, cx.value(i));
                else s.put(formal, Value.missing(formal, "optional function input '" + formal + "' is not given"));
            }
            List<NodeProto> body = new ArrayList<>();
            for (NodeProto bn : f.getNodeList()) body.add(substituteAttributes(bn, given));
            List<NodeProto> ordered = GraphOrder.order(body, defined, Set.of(), "function " + domain + "::" + f.getName());
            int before = issues.size();
            for (int i = 0; i < ordered.size(); i++) runNode(ordered.get(i), i, s, opsets);
            if (issues.size() > before) {
                throw new NodeContext.Unsupported("its function body could not be imported (see the problems listed)");
            }
            for (int i = 0; i < f.getOutputCount() && i < cx.outputCount(); i++) {
                Value v = s.lookup(f.getOutput(i));
                if (v != null && v.ok()) cx.outValue(i, v);
            }
        } finally {
            depth--;
        }
    }

    private static NodeProto substituteAttributes(NodeProto n, Map<String, AttributeProto> given) {
        boolean refs = false;
        for (AttributeProto a : n.getAttributeList()) refs |= a.hasRefAttrName() && !a.getRefAttrName().isEmpty();
        if (!refs) return n;
        NodeProto.Builder b = n.toBuilder().clearAttribute();
        for (AttributeProto a : n.getAttributeList()) {
            if (a.hasRefAttrName() && !a.getRefAttrName().isEmpty()) {
                AttributeProto v = given.get(a.getRefAttrName());
                if (v != null) b.addAttribute(v.toBuilder().setName(a.getName()).build());
            } else {
                b.addAttribute(a);
            }
        }
        return b.build();
    }

    // ------------------------------------------------------------------ constants

    /** A graph constant for a Java-side tensor, added once per tensor. */
    MLOperand constantOperand(OnnxTensor t) {
        MLOperand cached = constCache.get(t);
        if (cached != null) return cached;
        MLOperandDataType dt = t.type().webnn();
        if (dt == null) throw new NodeContext.Unsupported("a " + t.type() + " constant cannot be a WebNN operand (no WebNN type)");
        if (t.size() == 0) {
            throw new NodeContext.Unsupported("an empty constant " + Arrays.toString(t.shape()) + " cannot be a WebNN operand");
        }
        MLOperand op = builder.constant(new MLOperandDescriptor(dt, t.shape()), t.data());
        constCache.put(t, op);
        return op;
    }

    /** A 0-D constant, shared per type and value. */
    MLOperand scalarOperand(MLOperandDataType type, double value) {
        String key = type + ":" + Double.doubleToRawLongBits(value);
        MLOperand op = scalarCache.get(key);
        if (op == null) {
            OnnxTensor t = OnnxTensor.scalar(ElementType.fromWebNN(type), value);
            ByteBuffer data = t.data().order(ByteOrder.LITTLE_ENDIAN);
            op = builder.constant(new MLOperandDescriptor(type, new long[0]), data);
            scalarCache.put(key, op);
        }
        return op;
    }
}
