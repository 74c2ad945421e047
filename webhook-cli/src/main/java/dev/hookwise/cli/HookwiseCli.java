package dev.hookwise.cli;

import com.stripe.exception.StripeException;
import dev.hookwise.cli.internal.Secrets;
import dev.hookwise.cli.internal.Stripes;
import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.StripeApiException;
import dev.hookwise.core.spi.StoreUnavailableException;
import picocli.CommandLine;

/**
 * Runs the command line in-process: parses {@code args}, runs the command, prints errors, and
 * returns the {@link ExitCode}. {@link Main} calls it with the process's streams; tests call it
 * with captured ones.
 *
 * <pre>{@code
 * int code = HookwiseCli.run(io, "status", "--json");
 * }</pre>
 */
public final class HookwiseCli {
    private HookwiseCli() {}

    /** Runs one command line and returns its exit code; never throws, never calls {@code System.exit}. */
    public static int run(CliIo io, String... args) {
        HookwiseCommand root = new HookwiseCommand(io);
        boolean secretAsOption = rememberSecretsGivenAsOptions(root.secrets(), args);
        CommandLine cli = commandLine(root);
        cli.setOut(io.out());
        cli.setErr(io.err());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> handle(root, e));
        cli.setParameterExceptionHandler((e, a) -> {
            io.err().println("hookwise: " + root.secrets().redact(e.getMessage()));
            if (secretAsOption) {
                io.err().println("Secrets are never options (a process list or a shell history would show them): set"
                        + " HOOKWISE_DB_PASSWORD or pass --db-password-file, and STRIPE_API_KEY or --stripe-key-file.");
            }
            io.err().println("Try 'hookwise " + e.getCommandLine().getCommandName().replace("hookwise", "").trim()
                    + (e.getCommandLine().getCommandName().equals("hookwise") ? "" : " ") + "--help' for usage.");
            return ExitCode.USAGE;
        });
        int code = cli.execute(args);
        io.out().flush();
        io.err().flush();
        return code;
    }

    /**
     * Someone typing {@code --db-password hunter2} gets "unknown option", and picocli would echo the
     * value: remember such values as secrets first, so that every message redacts them.
     */
    private static boolean rememberSecretsGivenAsOptions(Secrets secrets, String[] args) {
        boolean found = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.endsWith("-file") || a.contains("-file=")) {
                continue;
            }
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (name.matches("--.*(password|secret|api-key|stripe-key|passwd).*")) {
                found = true;
                secrets.add(a.contains("=") ? a.substring(a.indexOf('=') + 1) : i + 1 < args.length ? args[i + 1] : null);
            }
        }
        return found;
    }

    /** The picocli model, e.g. for generating documentation. */
    public static CommandLine commandLine(HookwiseCommand root) {
        CommandLine cli = new CommandLine(root);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setUsageHelpAutoWidth(false);
        cli.setUsageHelpWidth(100);
        return cli;
    }

    private static int handle(HookwiseCommand root, Exception e) {
        Secrets secrets = root.secrets();
        CliIo io = root.io();
        int code;
        String message;
        if (e instanceof CliException c) {
            code = c.exitCode();
            message = c.getMessage();
        } else if (e instanceof StoreUnavailableException) {
            code = ExitCode.UNAVAILABLE;
            message = "the event store is unavailable: " + e.getMessage()
                    + "\n  check --jdbc-url / HOOKWISE_JDBC_URL, the user and password, and that the database is up";
        } else if (e instanceof StripeApiException || e instanceof StripeException) {
            code = ExitCode.UNAVAILABLE;
            message = Stripes.describe(e);
        } else if (e instanceof HookwiseConfigurationException) {
            code = ExitCode.USAGE;
            message = e.getMessage();
        } else {
            code = ExitCode.INTERNAL;
            message = "unexpected error (" + e.getClass().getName() + "): " + e.getMessage()
                    + "\n  this is a bug; run again with --verbose for the stack trace and report it";
        }
        io.err().println("hookwise: " + secrets.redact(String.valueOf(message)));
        if (root.verbose()) {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            io.err().println(secrets.redact(trace.toString()));
        }
        return code;
    }
}
