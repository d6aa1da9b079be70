package dev.anneau.bench;

import dev.anneau.cli.BenchCases;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One {@link BenchCases} graph on one peer: a dispatch and the read of its output per operation.
 * Each (case, peer) pair runs in its own forked JVM, so the peers never share JIT profiles.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GraphBenchmark {
    /** A {@link BenchCases.Case} key. */
    @Param({"matmul512", "conv2d", "mlp", "eltwise", "reduce", "tiny"})
    public String bench;

    /** A {@link BenchCases.Peer} key. */
    @Param({"cpu-scalar", "cpu-vector", "ort"})
    public String peer;

    private BenchCases.Prepared prepared;

    @Setup(Level.Trial)
    public void setUp() {
        // the backend choice is logged at INFO; keep the JMH log to the measurements
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (var h : root.getHandlers()) h.setLevel(java.util.logging.Level.WARNING);
        prepared = BenchCases.prepare(BenchCases.Case.of(bench), BenchCases.Peer.of(peer));
    }

    @Benchmark
    public void dispatch() {
        prepared.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        prepared.close();
    }
}
