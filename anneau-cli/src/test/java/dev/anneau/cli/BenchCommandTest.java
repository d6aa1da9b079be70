package dev.anneau.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new Anneau());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void benchTimesEachPeerAndPrintsTheRatio() {
        Run r = run("bench", "-c", "tiny", "-c", "reduce", "-p", "cpu-vector", "-p", "cpu-scalar", "-t", "0.05");
        assertEquals(0, r.exit(), r.out() + r.err());
        String[] lines = r.out().split("\\R");
        String header = java.util.Arrays.stream(lines).filter(l -> l.startsWith("case")).findFirst().orElseThrow();
        assertTrue(header.contains("cpu-vector") && header.contains("cpu-scalar") && header.contains("scalar/vector"), header);
        assertTrue(java.util.Arrays.stream(lines).anyMatch(l -> l.startsWith("tiny ") && l.matches(".*\\d+\\.\\d\\dx\\s*$")), r.out());
        assertTrue(r.out().contains("outputs: every peer agrees"), r.out());
    }

    @Test
    void unknownCaseOrPeerIsAUsageError() {
        Run r = run("bench", "-c", "nope");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown case 'nope'") && r.err().contains("matmul512"), r.err());
        r = run("bench", "-p", "gpu");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown peer 'gpu'"), r.err());
    }

    @Test
    void disagreeingOutputsAreReported() {
        var same = new BenchCommand.Timing(1, 1, 1, new float[] {1, 2, 3});
        var close = new BenchCommand.Timing(1, 1, 1, new float[] {1, 2, 3.0000001f});
        var off = new BenchCommand.Timing(1, 1, 1, new float[] {1, 2, 3.1f});
        var nan = new BenchCommand.Timing(1, 1, 1, new float[] {1, Float.NaN, 3});
        assertNull(BenchCommand.disagreement(Map.of(BenchCases.Peer.CPU_VECTOR, same, BenchCases.Peer.CPU_SCALAR, close)));
        assertTrue(BenchCommand.disagreement(new java.util.EnumMap<>(Map.of(BenchCases.Peer.CPU_VECTOR, same,
                BenchCases.Peer.ORT, off))).contains("ort vs cpu-vector"));
        assertTrue(BenchCommand.disagreement(new java.util.EnumMap<>(Map.of(BenchCases.Peer.CPU_VECTOR, same,
                BenchCases.Peer.CPU_SCALAR, nan))) != null);
    }
}
