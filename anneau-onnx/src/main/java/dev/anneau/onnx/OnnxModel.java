package dev.anneau.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.anneau.onnx.proto.Onnx.FunctionProto;
import dev.anneau.onnx.proto.Onnx.GraphProto;
import dev.anneau.onnx.proto.Onnx.ModelProto;
import dev.anneau.onnx.proto.Onnx.NodeProto;
import dev.anneau.onnx.proto.Onnx.OperatorSetIdProto;
import dev.anneau.onnx.proto.Onnx.TensorProto;
import dev.anneau.onnx.proto.Onnx.TensorShapeProto;
import dev.anneau.onnx.proto.Onnx.TypeProto;
import dev.anneau.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed ONNX model: the protobuf ({@code onnx.proto}, parsed with protobuf-java), its
 * initializers as {@link OnnxTensor}s (external data read from the model's folder), its opsets
 * and its graph inputs and outputs. Loading checks the structure: every node input is defined,
 * the graph has no cycle, no value is produced twice, tensors hold the data their shapes
 * declare; a model that fails gets an {@link OnnxImportException} saying where.
 */
public final class OnnxModel {
    /** A graph input or output: its ONNX element type and dimensions (each a size or a symbolic name). */
    public record ValueInfo(String name, int elemTypeCode, List<Dim> dims, String kind) {
        /** The element type, or null when the importer cannot hold it (or it is not a tensor). */
        public ElementType type() { return "tensor".equals(kind) ? ElementType.fromOnnx(elemTypeCode) : null; }

        /**
         * The concrete shape with symbolic dimensions taken from {@code freeDims}; throws naming
         * the first free dimension that has no size.
         */
        public long[] resolveShape(Map<String, Long> freeDims) {
            if (dims == null) throw new OnnxImportException("'" + name + "' declares no shape");
            long[] s = new long[dims.size()];
            for (int i = 0; i < s.length; i++) {
                Dim d = dims.get(i);
                if (d.value() >= 0) s[i] = d.value();
                else if (d.param() != null && freeDims.containsKey(d.param())) s[i] = freeDims.get(d.param());
                else throw new OnnxImportException("'" + name + "' dimension " + i + " is free ("
                        + (d.param() != null ? "'" + d.param() + "'" : "unnamed") + "); give its size");
            }
            return s;
        }

        /** True when the rank and every dimension are known numbers. */
        public boolean isStatic() {
            if (dims == null) return false;
            for (Dim d : dims) if (d.value() < 0) return false;
            return true;
        }

        @Override
        public String toString() {
            return name + ": " + (!"tensor".equals(kind) ? kind : ElementType.describe(elemTypeCode) + (dims == null ? "[?]" : dims.toString()));
        }
    }

    /** One dimension: a size ({@code value >= 0}), or a symbolic name, or unknown (value -1, param null). */
    public record Dim(long value, String param) {
        @Override
        public String toString() { return value >= 0 ? Long.toString(value) : param != null ? param : "?"; }
    }

    private final ModelProto proto;
    private final Path baseDir;
    private final Map<String, Integer> opsets;
    private final Map<String, OnnxTensor> initializers;
    private final List<ValueInfo> inputs;
    private final List<ValueInfo> outputs;
    private final Map<String, FunctionProto> functions;

    private OnnxModel(ModelProto proto, Path baseDir) {
        this.proto = proto;
        this.baseDir = baseDir;
        if (!proto.hasGraph()) throw new OnnxImportException("the model has no graph (is this an ONNX model file?)");
        Map<String, Integer> ops = new LinkedHashMap<>();
        for (OperatorSetIdProto o : proto.getOpsetImportList()) {
            String d = normalizeDomain(o.getDomain());
            if (o.getVersion() < 1 || o.getVersion() > 10_000) {
                throw new OnnxImportException("opset_import for domain '" + d + "' has invalid version " + o.getVersion());
            }
            ops.put(d, (int) o.getVersion());
        }
        if (!ops.containsKey("")) {
            // IR version 1/2 models may omit the import; ONNX then means opset 1
            if (proto.getOpsetImportCount() == 0) ops.put("", 1);
        }
        this.opsets = Collections.unmodifiableMap(ops);
        GraphProto g = proto.getGraph();
        Map<String, OnnxTensor> init = new LinkedHashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            if (!t.hasName() || t.getName().isEmpty()) throw new OnnxImportException("an initializer has no name");
            if (init.containsKey(t.getName())) throw new OnnxImportException("initializer '" + t.getName() + "' is defined twice");
            init.put(t.getName(), TensorProtos.toTensor(t, baseDir, "initializer '" + t.getName() + "'"));
        }
        if (g.getSparseInitializerCount() > 0) {
            throw new OnnxUnsupportedException(List.of(new OnnxUnsupportedException.Issue("graph", "sparse_initializer",
                    "sparse initializers are not supported")));
        }
        this.initializers = Collections.unmodifiableMap(init);
        List<ValueInfo> in = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!seen.add(v.getName())) throw new OnnxImportException("graph input '" + v.getName() + "' is declared twice");
            if (!init.containsKey(v.getName())) in.add(valueInfo(v));
        }
        this.inputs = List.copyOf(in);
        List<ValueInfo> out = new ArrayList<>();
        for (ValueInfoProto v : g.getOutputList()) out.add(valueInfo(v));
        if (out.isEmpty()) throw new OnnxImportException("the graph has no outputs");
        this.outputs = List.copyOf(out);
        Map<String, FunctionProto> fns = new HashMap<>();
        for (FunctionProto f : proto.getFunctionsList()) fns.put(normalizeDomain(f.getDomain()) + "::" + f.getName(), f);
        this.functions = Collections.unmodifiableMap(fns);
        Set<String> outer = new HashSet<>(seen);
        outer.addAll(init.keySet());
        GraphOrder.order(g.getNodeList(), outer, Set.of(), "graph");
        for (ValueInfo o : out) {
            if (!outer.contains(o.name()) && !producedBy(g.getNodeList(), o.name())) {
                throw new OnnxImportException("graph output '" + o.name() + "' is not produced by any node");
            }
        }
    }

    private static boolean producedBy(List<NodeProto> nodes, String name) {
        for (NodeProto n : nodes) if (n.getOutputList().contains(name)) return true;
        return false;
    }

    static String normalizeDomain(String d) { return d == null || d.equals("ai.onnx") ? "" : d; }

    static ValueInfo valueInfo(ValueInfoProto v) {
        if (!v.hasType()) return new ValueInfo(v.getName(), 0, null, "tensor");
        TypeProto t = v.getType();
        if (!t.hasTensorType()) {
            String kind = t.hasSequenceType() ? "sequence" : t.hasMapType() ? "map" : t.hasOptionalType() ? "optional"
                    : t.hasSparseTensorType() ? "sparse tensor" : "opaque";
            return new ValueInfo(v.getName(), 0, null, kind);
        }
        TypeProto.Tensor tt = t.getTensorType();
        List<Dim> dims = null;
        if (tt.hasShape()) {
            dims = new ArrayList<>();
            for (TensorShapeProto.Dimension d : tt.getShape().getDimList()) {
                if (d.hasDimValue()) {
                    if (d.getDimValue() < 0) {
                        throw new OnnxImportException("value '" + v.getName() + "' declares negative dimension " + d.getDimValue());
                    }
                    dims.add(new Dim(d.getDimValue(), null));
                } else {
                    dims.add(new Dim(-1, d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : null));
                }
            }
            dims = List.copyOf(dims);
        }
        return new ValueInfo(v.getName(), tt.getElemType(), dims, "tensor");
    }

    // ------------------------------------------------------------------ loading

    /** Loads a model file; external data is looked up in the file's folder. */
    public static OnnxModel load(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new OnnxImportException("model file not found: " + file, e);
        } catch (IOException e) {
            throw new OnnxImportException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        if (size >= Integer.MAX_VALUE) {
            throw new OnnxImportException("model file " + file + " is " + size + " bytes; protobuf files are limited to 2 GiB "
                    + "(larger models keep their weights in external data files)");
        }
        Path dir = file.toAbsolutePath().getParent();
        try (InputStream in = Files.newInputStream(file)) {
            return new OnnxModel(parse(CodedInputStream.newInstance(in), file.toString()), dir);
        } catch (IOException e) {
            throw new OnnxImportException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads a model from bytes; external data is refused (there is no folder to look in). */
    public static OnnxModel load(byte[] bytes) { return load(bytes, null); }

    /** Loads a model from bytes, looking up external data in {@code baseDir} (may be null). */
    public static OnnxModel load(byte[] bytes, Path baseDir) {
        if (bytes == null) throw new OnnxImportException("model bytes are null");
        return new OnnxModel(parse(CodedInputStream.newInstance(bytes), "the model bytes"), baseDir);
    }

    private static ModelProto parse(CodedInputStream in, String what) {
        in.setSizeLimit(Integer.MAX_VALUE);
        in.setRecursionLimit(200);
        try {
            ModelProto m = ModelProto.parseFrom(in);
            if (!m.hasGraph() && !m.hasIrVersion()) {
                throw new OnnxImportException(what + " is not an ONNX model (no ir_version, no graph)");
            }
            return m;
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxImportException(what + " is not a valid ONNX model (protobuf parse failed: " + e.getMessage()
                    + "; truncated or not an .onnx file?)", e);
        } catch (IOException e) {
            throw new OnnxImportException("cannot read " + what + ": " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new OnnxImportException(what + " nests too deeply to parse", null);
        }
    }

    // ------------------------------------------------------------------ accessors

    public ModelProto proto() { return proto; }

    public GraphProto graph() { return proto.getGraph(); }

    /** The folder external data is read from, or null. */
    public Path baseDir() { return baseDir; }

    /** Opset version per domain ("" for the default ONNX domain). */
    public Map<String, Integer> opsets() { return opsets; }

    /** The default-domain opset version (0 when the model imports none). */
    public int opset() { return opsets.getOrDefault("", 0); }

    /** Graph inputs that are not initializers, in declaration order. */
    public List<ValueInfo> inputs() { return inputs; }

    public List<ValueInfo> outputs() { return outputs; }

    /** Initializers by name. */
    public Map<String, OnnxTensor> initializers() { return initializers; }

    /** Model-local functions by {@code domain::name}. */
    public Map<String, FunctionProto> functions() { return functions; }

    @Override
    public String toString() {
        return "OnnxModel(opset " + opsets + ", inputs " + inputs + ", outputs " + outputs + ", "
                + proto.getGraph().getNodeCount() + " nodes)";
    }
}
