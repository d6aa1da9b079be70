package dev.anneau.conformance.validation;

import dev.anneau.conformance.BuilderCalls;
import dev.anneau.conformance.validation.SubtestRunner.Outcome;
import dev.anneau.conformance.validation.ValidationSuite.Subtest;
import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOpSupportLimits;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLTensorLimits;
import dev.anneau.webnn.WebNNException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WPT helper {@code validateUnaryOperation}'s subtest "[op] Throw if the data type is not
 * supported for the operator." records no call in {@code validation.json} (the recorder's fake
 * context supports every data type the spec allows). It is replayed here as the helper in
 * {@code resources/utils_validation.js} does it: for every data type that
 * {@code opSupportLimits()[op].input.dataTypes} lacks, and every shape of rank 0 to 5, the
 * operator must throw a TypeError carrying its label; a data type the context does not accept
 * as a graph input must make {@code input()} throw a TypeError instead.
 */
final class UnsupportedDataTypeCheck {
    private UnsupportedDataTypeCheck() {}

    private static final Pattern NAME = Pattern.compile("^\\[(\\w+)\\] Throw if the data type is not supported for the operator\\.$");

    /** The eight data types of the WPT's {@code allWebNNOperandDataTypes}. */
    private static final List<MLOperandDataType> ALL = List.of(MLOperandDataType.FLOAT32, MLOperandDataType.FLOAT16,
            MLOperandDataType.INT32, MLOperandDataType.UINT32, MLOperandDataType.INT64, MLOperandDataType.UINT64,
            MLOperandDataType.INT8, MLOperandDataType.UINT8);

    private static final int[][] SHAPES = {{}, {2}, {2, 3}, {2, 3, 4}, {2, 3, 4, 5}, {2, 3, 4, 5, 6}};

    /** Runs the check when {@code test} is such a subtest; null otherwise. */
    static Outcome runIfApplicable(Subtest test, MLContextOptions options) {
        Matcher m = NAME.matcher(test.name());
        if (!m.matches()) return null;
        String op = m.group(1);
        MLContext context;
        try {
            context = ML.createContextNow(options);
        } catch (RuntimeException e) {
            return Outcome.fail("could not create an MLContext: " + SubtestRunner.describe(e), false);
        }
        try {
            return check(context, op);
        } finally {
            context.destroy();
        }
    }

    private static Outcome check(MLContext context, String op) {
        MLOpSupportLimits limits = context.opSupportLimits();
        Map<String, MLTensorLimits> opLimits = limits.operator(op);
        if (opLimits == null || opLimits.get("input") == null) {
            return Outcome.fail("opSupportLimits() has no entry for " + op + ".input (the operator is not implemented)", true);
        }
        MLGraphBuilder builder = new MLGraphBuilder(context);
        String label = op + "_unsupported_type";
        int n = 0;
        List<String> problems = new ArrayList<>();
        for (MLOperandDataType t : ALL) {
            if (opLimits.get("input").dataType().contains(t)) continue;
            if (!limits.input().dataType().contains(t)) {
                try {
                    builder.input("a" + n++, new MLOperandDescriptor(t, 2));
                    problems.add("input(" + t + ") succeeded although opSupportLimits().input lacks " + t);
                } catch (WebNNException e) {
                    if (!e.errorName().equals("TypeError")) problems.add("input(" + t + ") threw " + SubtestRunner.describe(e));
                }
                continue;
            }
            for (int[] shape : SHAPES) {
                MLOperand in = builder.input("input" + n++, new MLOperandDescriptor(t, shape));
                try {
                    MLOperand[] out = BuilderCalls.call(builder, op, new ArrayList<>(List.of(in, Map.of("label", label))));
                    problems.add(op + "(" + in.dataType() + java.util.Arrays.toString(shape) + ") succeeded with " + out[0].dataType());
                } catch (WebNNException e) {
                    if (!e.errorName().equals("TypeError")) {
                        problems.add(op + "(" + t + ") threw " + SubtestRunner.describe(e));
                    } else if (!String.valueOf(e.getMessage()).contains("[" + label + "]")) {
                        problems.add(op + "(" + t + "): the TypeError lacks the label [" + label + "]: " + e.getMessage());
                    }
                } catch (RuntimeException e) {
                    problems.add(op + "(" + t + ") threw " + SubtestRunner.describe(e));
                }
                if (problems.size() >= 3) break;
            }
        }
        if (!problems.isEmpty()) {
            boolean notImplemented = problems.stream().anyMatch(p -> p.contains("not implemented yet"));
            return Outcome.fail(String.join("; ", problems), notImplemented);
        }
        return Outcome.pass();
    }
}
