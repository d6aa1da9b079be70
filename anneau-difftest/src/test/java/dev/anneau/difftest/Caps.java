package dev.anneau.difftest;

import dev.anneau.webnn.MLOpSupportLimits;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLTensorLimits;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the generator may use: the intersection of several contexts' {@code opSupportLimits()}
 * (the backend under test and the reference), per operator, operand, data type and rank.
 */
final class Caps {
    private final List<MLOpSupportLimits> limits;

    Caps(List<MLOpSupportLimits> limits) { this.limits = List.copyOf(limits); }

    Caps(MLOpSupportLimits... limits) { this(List.of(limits)); }

    boolean has(String op) {
        for (MLOpSupportLimits l : limits) if (l.operator(op) == null) return false;
        return true;
    }

    /** Whether every context supports {@code type} at {@code rank} for this operator's operand. */
    boolean ok(String op, String operand, MLOperandDataType type, int rank) {
        for (MLOpSupportLimits l : limits) {
            Map<String, MLTensorLimits> m = l.operator(op);
            if (m == null) return false;
            MLTensorLimits t = m.get(operand);
            if (t == null || !t.supports(type, rank)) return false;
        }
        return true;
    }

    /** The data types every context lists for this operand (rank ignored). */
    Set<MLOperandDataType> types(String op, String operand) {
        Set<MLOperandDataType> out = EnumSet.allOf(MLOperandDataType.class);
        for (MLOpSupportLimits l : limits) {
            Map<String, MLTensorLimits> m = l.operator(op);
            MLTensorLimits t = m == null ? null : m.get(operand);
            if (t == null) return EnumSet.noneOf(MLOperandDataType.class);
            out.retainAll(t.dataType());
        }
        return out;
    }

    /** Graph inputs, constants and outputs of this type are supported everywhere. */
    boolean io(MLOperandDataType type) {
        for (MLOpSupportLimits l : limits) {
            if (!l.input().dataType().contains(type) || !l.constant().dataType().contains(type)
                    || !l.output().dataType().contains(type)) {
                return false;
            }
        }
        return true;
    }

    int maxRank() {
        int r = Integer.MAX_VALUE;
        for (MLOpSupportLimits l : limits) r = Math.min(r, l.input().rankRange().max());
        return r;
    }
}
