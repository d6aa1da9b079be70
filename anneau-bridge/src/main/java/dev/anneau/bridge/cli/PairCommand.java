package dev.anneau.bridge.cli;

import dev.anneau.bridge.PairingStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code anneau pair list|approve|revoke}: which web origins may use the local service. */
@Command(name = "pair", mixinStandardHelpOptions = true,
        subcommands = {PairCommand.ListCmd.class, PairCommand.Approve.class, PairCommand.Revoke.class, PairTokenCommand.class},
        description = {
            "Manages the web origins paired with 'anneau serve'. A page can only ask",
            "for pairing; it is approved here, by you. An approved page receives a",
            "token bound to its origin; revoking makes that token useless."
        })
public final class PairCommand implements Callable<Integer> {
    @Option(names = "--state-dir", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "where pairings are kept (default: $ANNEAU_HOME or ~/.anneau)")
    Path stateDir;

    PairingStore store() { return new PairingStore(stateDir != null ? stateDir : PairingStore.defaultDir()); }

    @Override
    public Integer call() { return new ListCmd().list(store()); }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Paired origins and pending requests (with the code the page shows).")
    static final class ListCmd implements Callable<Integer> {
        @ParentCommand
        PairCommand parent;

        @Override
        public Integer call() { return list(parent.store()); }

        int list(PairingStore store) {
            List<PairingStore.Entry> all = store.list();
            if (all.isEmpty()) {
                System.out.println("no paired origins and no pending requests");
                return 0;
            }
            for (PairingStore.Entry e : all) {
                String state = e.approved() ? (e.claimed() ? "paired" : "approved, waiting for the page") : "requested";
                System.out.printf("%-40s %-32s%s%n", e.origin(), state,
                        e.pendingCode() != null ? " code " + e.pendingCode() + " (requested " + e.requestedAt() + ")" : "");
            }
            return 0;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approves an origin (e.g. https://app.example) or a pending request's code (e.g. K7P-4QX).")
    static final class Approve implements Callable<Integer> {
        @ParentCommand
        PairCommand parent;

        @Parameters(paramLabel = "ORIGIN|CODE")
        String what;

        @Override
        public Integer call() {
            PairingStore store = parent.store();
            String origin = PairingStore.canonicalOrigin(what);
            if (origin == null) {
                origin = store.approveCode(what);
                if (origin == null) {
                    System.err.println("anneau pair approve: '" + what + "' is neither an origin (scheme://host[:port]) nor a pending code");
                    return 2;
                }
            } else {
                store.approve(origin);
            }
            String approved = origin;
            System.out.println("approved " + origin + (store.list().stream().anyMatch(e -> e.origin().equals(approved) && e.pendingCode() != null)
                    ? "; the waiting page receives its token now" : "; the page receives its token when it asks for pairing"));
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Removes an origin's pairing; its token stops working at once.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        PairCommand parent;

        @Parameters(paramLabel = "ORIGIN")
        String origin;

        @Override
        public Integer call() {
            if (parent.store().revoke(origin)) {
                System.out.println("revoked " + origin);
                return 0;
            }
            System.err.println("anneau pair revoke: " + origin + " was not paired");
            return 1;
        }
    }
}
