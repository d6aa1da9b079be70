package dev.anneau.onnx;

import java.util.HashMap;
import java.util.Map;

/** Values by name in one graph, falling back to the enclosing graph's scope (for subgraphs). */
final class Scope {
    private final Scope parent;
    private final Map<String, Value> values = new HashMap<>();

    Scope(Scope parent) { this.parent = parent; }

    Value lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Value v = s.values.get(name);
            if (v != null) return v;
        }
        return null;
    }

    void put(String name, Value v) { values.put(name, v); }

    boolean definesLocally(String name) { return values.containsKey(name); }
}
