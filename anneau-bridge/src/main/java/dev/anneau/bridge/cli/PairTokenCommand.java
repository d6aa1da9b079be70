package dev.anneau.bridge.cli;

import dev.anneau.bridge.LocalToken;
import dev.anneau.bridge.PairingStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code anneau pair token [--rotate]}: the local token of programs that call the inference endpoint. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {
            "Prints the service's local token: programs (curl, scripts, OIP clients) send it",
            "as 'Authorization: Bearer TOKEN' to the inference endpoint (/v2). It is kept in",
            "the state directory, readable by you only. Web pages never use it: they pair.",
            "--rotate replaces it; a running service accepts only the new one within a second."
        })
public final class PairTokenCommand implements Callable<Integer> {
    @ParentCommand
    PairCommand parent;

    @Option(names = "--rotate", description = "issue a new token (the old one stops working)")
    boolean rotate;

    @Override
    public Integer call() {
        PairingStore store = parent.store();
        var dir = store.file().getParent();
        LocalToken t = rotate ? LocalToken.rotate(dir) : LocalToken.loadOrCreate(dir);
        System.out.println(t.value());
        return 0;
    }
}
