package dev.anneau.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code anneau} command: the WebNN API in Java, from the command line. */
@Command(name = "anneau",
        mixinStandardHelpOptions = true,
        versionProvider = Anneau.Version.class,
        subcommands = {RunCommand.class, ModelsCommand.class, ConformanceCommand.class, InfoCommand.class, dev.anneau.bridge.cli.ServeCommand.class,
                dev.anneau.bridge.cli.PairCommand.class, CommandLine.HelpCommand.class},
        description = {
            "Anneau: the W3C WebNN API in Java, with pluggable backends.",
            "Runs ONNX models through the WebNN graph on any backend, runs the WebNN",
            "web-platform-tests graph suite and the ONNX backend tests, and shows the",
            "backends found on this machine."
        },
        commandListHeading = "%nCommands:%n",
        footerHeading = "%nExamples:%n",
        footer = {
            "  anneau run model.onnx --input x=x.npy --output-dir out",
            "      run an ONNX model; one out/NAME.npy per output",
            "  anneau run blazeface --random-inputs --output-dir /tmp/out --verbose",
            "      fetch a catalog model (see 'anneau models list'), run it, time each phase",
            "  anneau info",
            "      backends found, the default one, what each supports (--json: as JSON)",
            "  anneau conformance testdata/webnn-wpt/conformance",
            "      run the WPT graph tests of a folder (or of one .json file)",
            "  anneau conformance -f '^conv2d' -r out.json testdata/webnn-wpt/conformance",
            "      only tests whose file or test name matches; JSON report with errors",
            "  anneau conformance -b ort testdata/onnx-node",
            "      ONNX backend test folders (model.onnx + test_data_set_*), imported",
            "  anneau help conformance",
            "      all options of a command",
            "",
            "Backend choice: --backend NAME, else -Danneau.backend=NAME or the",
            "environment variable ANNEAU_BACKEND=NAME, else the available backend with",
            "the highest priority (see 'anneau info').",
            "Exit codes: 0 success, 1 some test failed (run: the model cannot run on",
            "the backend), 2 usage or I/O error."
        })
public final class Anneau implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        // no subcommand: show the help, as a usage error
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run, models, conformance, info, serve, pair or help");
    }

    public static void main(String[] args) {
        quietLogging();
        System.exit(new CommandLine(new Anneau()).execute(args));
    }

    /** Only warnings from the library's loggers (the backend choice is logged at INFO); -Danneau.log=INFO shows more. */
    static void quietLogging() {
        String level = System.getProperty("anneau.log", "WARNING");
        Level l;
        try {
            l = Level.parse(level.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            l = Level.WARNING;
        }
        Logger root = Logger.getLogger("");
        root.setLevel(l);
        for (var h : root.getHandlers()) h.setLevel(l);
    }

    /** Reads the version Maven wrote into version.properties. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"anneau " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }

        static String version() {
            try (InputStream in = Anneau.class.getResourceAsStream("version.properties")) {
                if (in == null) return "unknown";
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "unknown");
                return v.startsWith("${") ? "unknown" : v;
            } catch (IOException e) {
                return "unknown";
            }
        }
    }
}
