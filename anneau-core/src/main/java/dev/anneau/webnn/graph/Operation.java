package dev.anneau.webnn.graph;

import dev.anneau.webnn.MLOperand;
import java.util.List;

/**
 * One validated operator in a graph. {@code inputs} is the operator's operand list in the order
 * its family defines (absent optional operands are null); {@code attributes} is the family's
 * record of non-operand arguments with the spec defaults already applied, so backends never
 * re-derive them.
 */
public record Operation(String operator, String label, List<MLOperand> inputs, Object attributes,
                        List<MLOperand> outputs) {

    public MLOperand input(int i) { return i < inputs.size() ? inputs.get(i) : null; }

    public MLOperand output(int i) { return outputs.get(i); }

    /** The attributes record, cast to what the family stored. */
    @SuppressWarnings("unchecked")
    public <T> T attributes(Class<T> type) { return (T) attributes; }

    @Override
    public String toString() {
        return operator + (label == null || label.isEmpty() ? "" : " '" + label + "'");
    }
}
