package dev.anneau.bridge;

import static org.junit.jupiter.api.Assertions.*;

import dev.anneau.bridge.cli.PairCommand;
import dev.anneau.bridge.cli.ServeCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code anneau pair token} and the model options of {@code anneau serve}. */
class InferenceCommandsTest {
    private static String[] run(Object cmd, int wantExit, String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true));
        System.setErr(new PrintStream(e, true));
        try {
            assertEquals(wantExit, new CommandLine(cmd).execute(args), String.join(" ", args) + "\n" + e);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new String[] {o.toString(), e.toString()};
    }

    @Test
    void pairTokenPrintsTheOwnerOnlyTokenAndRotatesIt() throws Exception {
        Path dir = Files.createTempDirectory("anneau-token-cli");
        String first = run(new PairCommand(), 0, "--state-dir", dir.toString(), "token")[0].trim();
        assertTrue(first.matches("[A-Za-z0-9_-]{43}"), first);
        Path file = dir.resolve(LocalToken.FILE_NAME);
        assertEquals(first, Files.readString(file).trim());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(first, run(new PairCommand(), 0, "--state-dir", dir.toString(), "token")[0].trim(), "stable");
        String rotated = run(new PairCommand(), 0, "--state-dir", dir.toString(), "token", "--rotate")[0].trim();
        assertNotEquals(first, rotated);
        assertEquals(rotated, LocalToken.loadOrCreate(dir).value());
        assertTrue(LocalToken.loadOrCreate(dir).matches(rotated));
        assertFalse(LocalToken.loadOrCreate(dir).matches(first));
    }

    @Test
    void serveRefusesBadModelOptionsBeforeListening() throws Exception {
        Path dir = Files.createTempDirectory("anneau-serve-cli");
        String[] r = run(new ServeCommand(), 2, "--port", "0", "--state-dir", dir.toString(), "--model", "nameonly");
        assertTrue(r[1].contains("NAME=FILE.onnx"), r[1]);
        r = run(new ServeCommand(), 2, "--port", "0", "--state-dir", dir.toString(), "--model", "m=" + dir.resolve("missing.onnx"));
        assertTrue(r[1].contains("cannot serve model 'm'"), r[1]);
        r = run(new ServeCommand(), 2, "--port", "0", "--state-dir", dir.toString(), "--model", "bad/name=x.onnx");
        assertTrue(r[1].contains("model names use"), r[1]);
    }
}
