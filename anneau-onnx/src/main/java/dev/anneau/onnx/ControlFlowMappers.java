package dev.anneau.onnx;

import dev.anneau.onnx.proto.Onnx.GraphProto;
import java.util.List;

/**
 * If whose condition is known at import time: the chosen branch is imported inline (in a child
 * scope that sees the enclosing values), the other is dropped. A condition computed from graph
 * inputs is fixed per run by {@link OnnxSession} (the graph is built per distinct value).
 */
final class ControlFlowMappers {
    private ControlFlowMappers() {}

    static void register(MapperRegistry r) {
        r.register("If", ControlFlowMappers::ifNode);
    }

    private static void ifNode(NodeContext cx) {
        OnnxTensor cond = cx.constIn(0);
        if (cond.size() != 1) throw cx.unsupported("If condition must hold one element, got %s", cond);
        GraphProto thenG = cx.attrGraph("then_branch"), elseG = cx.attrGraph("else_branch");
        if (thenG == null || elseG == null) throw cx.unsupported("If needs then_branch and else_branch");
        boolean c = cond.getDouble(0) != 0;
        GraphProto g = c ? thenG : elseG;
        int before = cx.imp.issueCount();
        List<Value> outs = cx.imp.runSubgraph(g, cx.scope, cx.imp.model().opsets(),
                "If " + cx.name() + " " + (c ? "then" : "else") + "_branch");
        if (cx.imp.issueCount() > before) throw cx.unsupported("the %s branch could not be imported (see the problems listed)", c ? "then" : "else");
        if (outs.size() != cx.outputCount()) {
            throw cx.unsupported("the branch has %d outputs, the node %d", outs.size(), cx.outputCount());
        }
        for (int i = 0; i < outs.size(); i++) {
            Value v = outs.get(i);
            if (!v.ok()) throw cx.unsupported("branch output '%s' is not computed%s", v.name, v.missingReason == null ? "" : ": " + v.missingReason);
            cx.outValue(i, v);
        }
    }
}
