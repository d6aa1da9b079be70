package dev.anneau.backend.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.anneau.backend.ort.lowering.LoweringContext;
import dev.anneau.backend.ort.lowering.LoweringRegistry;
import dev.anneau.backend.ort.lowering.OnnxTypes;
import dev.anneau.onnx.proto.Onnx;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.NotSupportedError;
import dev.anneau.webnn.OperationError;
import dev.anneau.webnn.graph.GraphDefinition;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.TensorType;
import dev.anneau.webnn.spi.BackendTensor;
import dev.anneau.webnn.spi.CompiledGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A WebNN graph lowered to an in-memory ONNX model (opset {@value #OPSET}) and an ORT session
 * created from its bytes. Graph inputs are named {@code i:<name>}, outputs {@code o:<name>} (non-ASCII escaped, see {@link #onnxName}).
 */
final class OrtGraph implements CompiledGraph {
    static final int OPSET = 21;

    /**
     * ORT graph optimizers and rewrite rules that mis-rewrite graphs this backend emits, switched off
     * for every session (names as ORT registers them; ORT ignores unknown names). The lowerings also
     * avoid the patterns where they can, so a renamed optimizer in a later ORT does not bring a bug back.
     * <ul>
     * <li>{@code TransposeOptimizer_CPUExecutionProvider}: the level-2 (CPU-EP-aware) transpose
     *     optimizer pushes NCHW/NHWC Transposes through Resize, leaving linear Resizes that scale
     *     axes the CPU kernel refuses (an nhwc conv2d followed by resample2d on axes 2, 3 failed at
     *     dispatch). The level-1 transpose optimizer still cancels layout Transposes: the optimized
     *     model of nchw and nhwc convolution chains is the same with or without it.</li>
     * <li>{@code FuseReluClip}: folds Relu into a following Clip and throws at session creation for
     *     integer Clip.</li>
     * <li>{@code GemmTransposeFusion}: folds a Transpose next to Gemm into transA/transB as if it
     *     swapped the axes, also for the identity permutation.</li>
     * <li>{@code MatmulTransposeFusion}: swaps a Transpose -> Cast feeding MatMul into Cast ->
     *     Transpose also when the Transpose cannot fuse (a permutation other than a swap of the last
     *     two axes); session creation then dies with SIGSEGV in native code, taking the JVM with it
     *     (gone when either this fusion or the NchwcTransformer is off): a WebNN transpose, cast
     *     and matmul, or a batch-first lstm. Without it, Q x transpose(K) runs an explicit Transpose: 3 to 15% slower in a
     *     microbenchmark of that product alone (8 heads of 128 and 512 x 64).</li>
     * <li>{@code PadFusion}: folds a constant zero Pad into a following pool's or Conv's own padding,
     *     which a pool treats unlike explicit zeros (maxPool2d ignores it, averagePool2d does not count
     *     it) and refuses when it is not smaller than the window.</li>
     * </ul>
     */
    static final List<String> DISABLED_OPTIMIZERS = List.of("TransposeOptimizer_CPUExecutionProvider", "FuseReluClip",
            "GemmTransposeFusion", "MatmulTransposeFusion", "PadFusion");

    private final OrtSession session;
    private final String report;

    OrtGraph(GraphDefinition graph, LoweringRegistry registry, List<OrtProvider> providers) {
        byte[] model = lower(graph, registry).toByteArray();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.disablePerSessionThreads(); // use the environment's global pool (OrtRuntime)
            so.addConfigEntry("optimization.disable_specified_optimizers", String.join(";", DISABLED_OPTIMIZERS));
            ProviderSelection.apply(so, providers);
            session = OrtRuntime.environment().createSession(model, so);
        } catch (OrtException e) {
            if (e.getCode() == OrtException.OrtErrorCode.ORT_NOT_IMPLEMENTED) {
                // a kernel missing for a type/EP combination: the backend cannot run it, which is not a failure of the graph
                throw new NotSupportedError("ONNX Runtime has no kernel for part of this graph: " + e.getMessage());
            }
            throw new OperationError("ONNX Runtime rejected the lowered model: " + e.getMessage(), e);
        }
        this.report = "onnxruntime " + OrtRuntime.version() + ", " + graph.operations().size() + " WebNN operations as "
                + model.length + " bytes of ONNX (opset " + OPSET + "), providers " + names(providers);
    }

    private static String names(List<OrtProvider> providers) {
        List<String> n = new ArrayList<>();
        for (OrtProvider p : providers) n.add(p.getName());
        return String.join(", ", n);
    }

    /** The ONNX model for a graph; an operator without a lowering is a NotSupportedError listing all of them. */
    static Onnx.ModelProto lower(GraphDefinition graph, LoweringRegistry registry) {
        Set<String> missing = new LinkedHashSet<>();
        for (Operation op : graph.operations()) if (registry.get(op.operator()) == null) missing.add(op.operator());
        if (!missing.isEmpty()) {
            throw new NotSupportedError("the ort backend cannot lower " + missing + "; use the cpu backend for this graph");
        }
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("anneau");
        LoweringContext cx = new LoweringContext(g);
        for (var e : graph.inputs().entrySet()) {
            MLOperand in = e.getValue();
            String name = onnxName("i:", e.getKey());
            MLOperandDataType boundary = OnnxTypes.boundary(in.dataType());
            g.addInput(valueInfo(name, boundary, in.type()));
            cx.bind(in, boundary == in.dataType() ? name : cx.cast(name, in.dataType()));
        }
        for (MLOperand c : graph.constants()) {
            cx.bind(c, cx.raw(c.dataType(), c.type().dims(), c.constantData()));
        }
        for (Operation op : graph.operations()) {
            registry.get(op.operator()).lowering().lower(op, cx);
            for (MLOperand o : op.outputs()) cx.value(o); // every output must be bound
        }
        for (var e : graph.outputs().entrySet()) {
            MLOperand out = e.getValue();
            String name = onnxName("o:", e.getKey());
            MLOperandDataType boundary = OnnxTypes.boundary(out.dataType());
            if (boundary == out.dataType()) {
                cx.op("Identity", cx.value(out)).out(name);
            } else {
                cx.op("Cast", cx.value(out)).attr("to", OnnxTypes.of(boundary).getNumber()).out(name);
            }
            g.addOutput(valueInfo(name, boundary, out.type()));
        }
        return Onnx.ModelProto.newBuilder().setIrVersion(10).setProducerName("anneau").setGraph(g)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).build();
    }

    /**
     * The ONNX name of a graph input/output: the prefix and the WebNN name with everything but
     * printable ASCII (and '_') escaped as {@code _xxxx} (UTF-16 code unit in hex), an injective
     * mapping. ORT's Java API garbles non-ASCII names (an input named with an emoji could not be fed).
     */
    static String onnxName(String prefix, String name) {
        StringBuilder b = new StringBuilder(prefix.length() + name.length()).append(prefix);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '_') b.append(c);
            else b.append('_').append(String.format("%04x", (int) c));
        }
        return b.toString();
    }

    private static Onnx.ValueInfoProto valueInfo(String name, MLOperandDataType type, TensorType shape) {
        Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder();
        for (int d : shape.dims()) s.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(OnnxTypes.of(type).getNumber()).setShape(s))).build();
    }

    @Override
    public void execute(Map<String, BackendTensor> inputs, Map<String, BackendTensor> outputs) {
        Map<String, OnnxTensor> in = new HashMap<>();
        for (var e : inputs.entrySet()) in.put(onnxName("i:", e.getKey()), OrtBackend.unwrap(e.getValue()).onnx());
        Map<String, OnnxTensor> pinned = new HashMap<>();
        for (var e : outputs.entrySet()) pinned.put(onnxName("o:", e.getKey()), OrtBackend.unwrap(e.getValue()).onnx());
        try (OrtSession.Result r = session.run(in, pinned)) {
            // outputs were written into the pinned tensors' buffers
        } catch (OrtException e) {
            throw new OperationError("ONNX Runtime failed to run the graph: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() { return report; }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new OperationError("closing the ORT session failed: " + e.getMessage(), e);
        }
    }
}
