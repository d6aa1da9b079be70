package dev.anneau.conformance;

import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.graph.GraphDefinition;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.spi.Backend;
import dev.anneau.webnn.spi.BackendTensor;
import dev.anneau.webnn.spi.CompiledGraph;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds out why a dispatch left its outputs unwritten. {@code MLContext.dispatch} reports nothing
 * when a kernel throws (the spec's dispatch has no failure channel), so the runner, on seeing
 * untouched outputs, runs the same graph once more directly through the backend SPI on the
 * calling thread, where the kernel's exception can be caught and reported.
 */
final class DispatchProbe {
    private DispatchProbe() {}

    /** Runs the graph computing {@code outputs} on a fresh instance of the named backend; returns what it threw, or null. */
    static Throwable rerun(String backendName, MLContextOptions options, Map<String, MLOperand> outputs, Map<String, ByteBuffer> inputData) {
        ML.BackendInfo info = ML.backends().stream().filter(b -> b.name().equals(backendName)).findFirst().orElse(null);
        if (info == null || info.provider() == null) return null;
        GraphDefinition def = definition(outputs);
        Backend backend = info.provider().create(options);
        List<BackendTensor> tensors = new ArrayList<>();
        CompiledGraph graph = null;
        try {
            graph = backend.compile(def);
            Map<String, BackendTensor> in = new HashMap<>();
            for (var e : def.inputs().entrySet()) {
                BackendTensor t = backend.allocate(e.getValue().type());
                tensors.add(t);
                ByteBuffer data = inputData.get(e.getKey());
                if (data != null) backend.write(t, data.duplicate());
                in.put(e.getKey(), t);
            }
            Map<String, BackendTensor> out = new HashMap<>();
            for (var e : def.outputs().entrySet()) {
                BackendTensor t = backend.allocate(e.getValue().type());
                tensors.add(t);
                out.put(e.getKey(), t);
            }
            graph.execute(in, out);
            return null;
        } catch (Throwable t) {
            return t;
        } finally {
            for (BackendTensor t : tensors) {
                try {
                    t.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
            if (graph != null) graph.close();
            backend.close();
        }
    }

    /** The graph definition {@code MLGraphBuilder.build} would make for these outputs. */
    static GraphDefinition definition(Map<String, MLOperand> outputs) {
        Set<Operation> ops = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Map<String, MLOperand> inputs = new LinkedHashMap<>();
        List<MLOperand> constants = new ArrayList<>();
        Set<MLOperand> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<MLOperand> stack = new ArrayDeque<>(outputs.values());
        int maxId = 0;
        while (!stack.isEmpty()) {
            MLOperand o = stack.pop();
            if (!seen.add(o)) continue;
            maxId = Math.max(maxId, o.id());
            switch (o.kind()) {
                case INPUT -> inputs.put(o.inputName(), o);
                case CONSTANT -> constants.add(o);
                case OPERATION -> {
                    Operation p = o.producer();
                    if (ops.add(p)) {
                        for (MLOperand in : p.inputs()) if (in != null) stack.push(in);
                        for (MLOperand out : p.outputs()) maxId = Math.max(maxId, out.id());
                    }
                }
            }
        }
        // operations were created in build order, and their outputs' ids grow with it
        List<Operation> ordered = new ArrayList<>(ops);
        ordered.sort(Comparator.comparingInt(op -> op.outputs().stream().mapToInt(MLOperand::id).min().orElse(0)));
        constants.sort(Comparator.comparingInt(MLOperand::id));
        return new GraphDefinition(inputs, constants, ordered, new LinkedHashMap<>(outputs), maxId + 1);
    }

    /** "Type: message at Class.method(File:line)" with the first frame of the backend's code. */
    static String describe(Throwable t) {
        String where = "";
        for (StackTraceElement f : t.getStackTrace()) {
            if (f.getClassName().startsWith("dev.anneau.") && !f.getClassName().startsWith("dev.anneau.conformance.")) {
                where = " at " + f;
                break;
            }
        }
        String name = t instanceof dev.anneau.webnn.WebNNException w ? w.errorName() : t.getClass().getSimpleName();
        return name + (t.getMessage() == null ? "" : ": " + t.getMessage()) + where;
    }
}
