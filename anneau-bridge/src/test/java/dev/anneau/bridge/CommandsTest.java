package dev.anneau.bridge;

import static org.junit.jupiter.api.Assertions.*;

import dev.anneau.bridge.cli.PairCommand;
import dev.anneau.bridge.cli.ServeCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandsTest {
    private static String run(Object cmd, int wantExit, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        try {
            assertEquals(wantExit, new CommandLine(cmd).execute(args), String.join(" ", args));
        } finally {
            System.setOut(old);
        }
        return out.toString();
    }

    @Test
    void pairListApproveRevoke() throws Exception {
        Path dir = Files.createTempDirectory("anneau-pair-cli");
        String d = dir.toString();
        assertTrue(run(new PairCommand(), 0, "list", "--state-dir", d).contains("no paired origins"));
        PairingStore store = new PairingStore(dir);
        String code = store.addPending("https://app.example");
        String listed = run(new PairCommand(), 0, "--state-dir", d, "list");
        assertTrue(listed.contains("https://app.example") && listed.contains("requested") && listed.contains(code), listed);
        run(new PairCommand(), 0, "--state-dir", d, "approve", code.toLowerCase());
        assertTrue(store.isApproved("https://app.example"));
        run(new PairCommand(), 0, "--state-dir", d, "approve", "HTTPS://Other.Example:443");
        assertTrue(store.isApproved("https://other.example"), "origins are canonicalised");
        run(new PairCommand(), 2, "--state-dir", d, "approve", "not an origin");
        run(new PairCommand(), 2, "--state-dir", d, "approve", "https://x.example/path");
        run(new PairCommand(), 0, "--state-dir", d, "revoke", "https://other.example");
        assertFalse(store.isApproved("https://other.example"));
        run(new PairCommand(), 1, "--state-dir", d, "revoke", "https://other.example");
    }

    @Test
    void serveRefusesANonLoopbackAddressWithoutTheFlag() {
        assertEquals(2, new CommandLine(new ServeCommand()).execute("--host", "0.0.0.0", "--port", "0"));
    }
}
