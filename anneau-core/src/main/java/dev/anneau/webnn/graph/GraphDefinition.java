package dev.anneau.webnn.graph;

import dev.anneau.webnn.MLOperand;
import java.util.List;
import java.util.Map;

/**
 * A validated graph handed to a backend at {@code build()}: named inputs, constants (with their
 * data), the operations needed for the outputs in a topological order, and named outputs.
 * {@code operandCount} bounds every operand id, so backends can use arrays indexed by id.
 */
public record GraphDefinition(Map<String, MLOperand> inputs, List<MLOperand> constants,
                              List<Operation> operations, Map<String, MLOperand> outputs, int operandCount) {}
