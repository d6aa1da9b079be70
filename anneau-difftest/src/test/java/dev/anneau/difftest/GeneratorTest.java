package dev.anneau.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The generator itself, on the cpu backend alone (which claims every operator): its graphs are valid
 * (they build and run), its shape inference matches the builder's, the saved JSON replays through the
 * conformance runner to exactly the reference values, the same seed gives the same graph, and every
 * operator it knows shows up.
 */
class GeneratorTest {
    static final int GRAPHS = Integer.getInteger("difftest.generatorGraphs", 200);

    @Test
    void graphsAreValidAndReplayExactly() {
        List<String> bad = new ArrayList<>();
        SplittableRandom master = new SplittableRandom(7);
        try (Differential diff = new Differential("cpu", "cpu")) {
            for (int i = 0; i < GRAPHS; i++) {
                long gs = master.nextLong();
                Differential.Outcome o = diff.check(gs, 8, "generator #" + i);
                if (o.kind() != Differential.Kind.AGREE) {
                    bad.add(o.kind() + " graphSeed=" + Long.toUnsignedString(gs) + " " + (o.graph() == null ? "" : o.graph().describe())
                            + ": " + DifferentialTest.abbreviate(o.detail(), 400));
                }
            }
        }
        if (!bad.isEmpty()) fail(bad.size() + " of " + GRAPHS + " generated graphs fail on cpu alone:\n" + String.join("\n", bad));
    }

    @Test
    void sameSeedSameGraph() {
        MLContext cpu = ML.createContextNow(new MLContextOptions().withBackend("cpu"));
        try {
            Caps caps = new Caps(cpu.opSupportLimits());
            for (long s = 1; s <= 20; s++) {
                var a = new GraphGenerator(caps, s).generate(8);
                var b = new GraphGenerator(caps, s).generate(8);
                assertNotNull(a);
                assertEquals(a.graph().toString(), b.graph().toString());
                assertEquals(a.tolerance(), b.tolerance());
            }
        } finally {
            cpu.destroy();
        }
    }

    @Test
    void everyKnownOperatorIsGenerated() {
        MLContext cpu = ML.createContextNow(new MLContextOptions().withBackend("cpu"));
        try {
            Caps caps = new Caps(cpu.opSupportLimits());
            Set<String> seen = new TreeSet<>();
            for (long s = 0; s < 3000 && seen.size() < GraphGenerator.knownOperators().size(); s++) {
                var g = new GraphGenerator(caps, s).generate(8);
                if (g != null) seen.addAll(g.operators());
            }
            Set<String> missing = new TreeSet<>(GraphGenerator.knownOperators());
            missing.removeAll(seen);
            assertTrue(missing.isEmpty(), "never generated: " + missing);
        } finally {
            cpu.destroy();
        }
    }
}
