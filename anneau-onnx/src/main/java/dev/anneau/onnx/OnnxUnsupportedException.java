package dev.anneau.onnx;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The model is well-formed but uses operators, attributes or data types the importer (or the
 * context's backend) cannot map. Lists every problem found in one pass, each with its node.
 */
public final class OnnxUnsupportedException extends OnnxImportException {
    private static final long serialVersionUID = 1L;

    /** One problem: the node (name, or "#index" when unnamed), its operator and what is wrong. */
    public record Issue(String node, String opType, String message) {
        @Override
        public String toString() { return opType + " (node " + node + "): " + message; }
    }

    private final transient List<Issue> issues;
    private final transient Set<String> inputsNeedingValues;

    public OnnxUnsupportedException(List<Issue> issues) { this(issues, Set.of()); }

    public OnnxUnsupportedException(List<Issue> issues, Set<String> inputsNeedingValues) {
        super(format(issues));
        this.issues = List.copyOf(issues);
        this.inputsNeedingValues = Collections.unmodifiableSet(new LinkedHashSet<>(inputsNeedingValues));
    }

    public List<Issue> issues() { return issues; }

    /**
     * Graph inputs whose values must be known at import time (they drive shapes or control flow);
     * importing again with {@link ImportOptions#withInputValue} for each may succeed.
     */
    public Set<String> inputsNeedingValues() { return inputsNeedingValues; }

    private static String format(List<Issue> issues) {
        StringBuilder s = new StringBuilder("the model cannot be imported: ").append(issues.size())
                .append(issues.size() == 1 ? " problem" : " problems");
        for (Issue i : issues) s.append("\n  - ").append(i);
        return s.toString();
    }
}
