package dev.anneau.backend.cpu;

import dev.anneau.backend.cpu.kernels.Kernel;
import dev.anneau.backend.cpu.kernels.KernelFactory;
import dev.anneau.backend.cpu.kernels.KernelRegistry;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.NotSupportedError;
import dev.anneau.webnn.graph.GraphDefinition;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.spi.BackendTensor;
import dev.anneau.webnn.spi.CompiledGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph prepared once at build time: kernels chosen and prepared per operation, constants
 * decoded, and for each intermediate the step after which it is dead (so it can be dropped).
 * Each {@link #execute} uses its own value slots, so executions never share mutable state.
 */
final class CpuGraph implements CompiledGraph {
    private final GraphDefinition graph;
    private final Operation[] operations;
    private final Kernel[] kernels;
    private final CpuTensor[] constants; // by operand id, null where not a constant
    private final int[][] releaseAfter; // step -> operand ids that die after it
    private final Map<Integer, List<String>> outputNamesById = new HashMap<>();

    CpuGraph(GraphDefinition graph, KernelRegistry registry) {
        this.graph = graph;
        this.operations = graph.operations().toArray(Operation[]::new);
        this.kernels = new Kernel[operations.length];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < operations.length; i++) {
            KernelFactory f = registry.get(operations[i].operator());
            if (f == null) {
                missing.add(operations[i].operator());
                continue;
            }
            kernels[i] = f.prepare(operations[i]);
        }
        if (!missing.isEmpty()) throw new NotSupportedError("the cpu backend has no kernel for " + missing);
        constants = new CpuTensor[graph.operandCount()];
        for (MLOperand c : graph.constants()) {
            CpuTensor t = new CpuTensor(c.type());
            t.readFrom(c.constantData());
            constants[c.id()] = t;
        }
        for (var e : graph.outputs().entrySet()) {
            outputNamesById.computeIfAbsent(e.getValue().id(), k -> new ArrayList<>()).add(e.getKey());
        }
        int[] lastUse = new int[graph.operandCount()];
        java.util.Arrays.fill(lastUse, -1);
        for (int i = 0; i < operations.length; i++) {
            for (MLOperand in : operations[i].inputs()) if (in != null) lastUse[in.id()] = i;
        }
        List<List<Integer>> rel = new ArrayList<>();
        for (int i = 0; i < operations.length; i++) rel.add(new ArrayList<>());
        for (Operation op : operations) {
            for (MLOperand o : op.outputs()) {
                if (!outputNamesById.containsKey(o.id()) && lastUse[o.id()] >= 0) rel.get(lastUse[o.id()]).add(o.id());
            }
        }
        releaseAfter = new int[operations.length][];
        for (int i = 0; i < operations.length; i++) releaseAfter[i] = rel.get(i).stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void execute(Map<String, BackendTensor> inputs, Map<String, BackendTensor> outputs) {
        CpuTensor[] values = constants.clone();
        for (var e : graph.inputs().entrySet()) values[e.getValue().id()] = (CpuTensor) inputs.get(e.getKey());
        for (int step = 0; step < operations.length; step++) {
            Operation op = operations[step];
            CpuTensor[] in = new CpuTensor[op.inputs().size()];
            for (int i = 0; i < in.length; i++) {
                MLOperand o = op.inputs().get(i);
                in[i] = o == null ? null : values[o.id()];
            }
            CpuTensor[] out = new CpuTensor[op.outputs().size()];
            for (int i = 0; i < out.length; i++) {
                MLOperand o = op.outputs().get(i);
                List<String> names = outputNamesById.get(o.id());
                out[i] = names != null && names.size() == 1 ? (CpuTensor) outputs.get(names.get(0)) : new CpuTensor(o.type());
                values[o.id()] = out[i];
            }
            kernels[step].run(in, out);
            for (int id : releaseAfter[step]) values[id] = null;
        }
        for (var e : outputNamesById.entrySet()) {
            if (e.getValue().size() > 1) {
                CpuTensor v = values[e.getKey()];
                for (String name : e.getValue()) {
                    CpuTensor dst = (CpuTensor) outputs.get(name);
                    v.copyRange(0, dst, 0, v.size());
                }
            }
        }
    }

    @Override
    public String describe() { return "cpu backend, " + operations.length + " operations"; }
}
