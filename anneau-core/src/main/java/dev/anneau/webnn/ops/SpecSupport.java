package dev.anneau.webnn.ops;

import dev.anneau.webnn.MLOperandDataType;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Resolves the table's "same as" links into concrete data-type sets. */
final class SpecSupport {
    private SpecSupport() {}

    static Set<MLOperandDataType> allowed(String operator, String operand) {
        if (operand.equals("input") && operator.equals("input")
                || operator.equals("constant") || operator.equals("output") || operator.equals("input")) {
            return EnumSet.allOf(MLOperandDataType.class);
        }
        Map<String, OperatorLimits.Rule> rules = OperatorLimits.spec().rules(operator);
        OperatorLimits.Rule r = rules.get(operand);
        for (int hops = 0; r != null && r.allowedTypes() == null && hops < 8; hops++) r = rules.get(r.sameTypeAs());
        if (r == null || r.allowedTypes() == null) return EnumSet.noneOf(MLOperandDataType.class);
        EnumSet<MLOperandDataType> set = EnumSet.copyOf(r.allowedTypes());
        // the (de)quantize ops carry int4/uint4 as the extension the WPT tests use
        if ((operator.equals("quantizeLinear") && operand.equals("zeroPoint"))
                || (operator.equals("dequantizeLinear") && (operand.equals("input") || operand.equals("zeroPoint")))) {
            set.add(MLOperandDataType.INT4);
            set.add(MLOperandDataType.UINT4);
        }
        if (operator.equals("cast")) set.addAll(EnumSet.allOf(MLOperandDataType.class));
        return set;
    }
}
