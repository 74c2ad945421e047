package dev.hookwise.cli;

import com.stripe.StripeClient;
import dev.hookwise.cli.command.CheckConsistencyCommand;
import dev.hookwise.cli.command.DeadCommand;
import dev.hookwise.cli.command.FailedCommand;
import dev.hookwise.cli.command.FindDuplicatePaymentsCommand;
import dev.hookwise.cli.command.PurgeCommand;
import dev.hookwise.cli.command.ReconcileCommand;
import dev.hookwise.cli.command.RecoverCommand;
import dev.hookwise.cli.command.ReplayCommand;
import dev.hookwise.cli.command.ReportCommand;
import dev.hookwise.cli.command.StatusCommand;
import dev.hookwise.cli.internal.Confirmation;
import dev.hookwise.cli.internal.EventLog;
import dev.hookwise.cli.internal.Progress;
import dev.hookwise.cli.internal.Secrets;
import dev.hookwise.cli.internal.Stripes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code hookwise} command and the options every subcommand shares: where the event log is,
 * the Stripe key, output and confirmation. Secrets come only from the environment or from files,
 * never from an option's value (a process list or a shell history would show it).
 */
@Command(name = "hookwise", mixinStandardHelpOptions = true, versionProvider = HookwiseCommand.Version.class,
        sortOptions = false, usageHelpAutoWidth = false,
        description = {
            "Operate a Hookwise event log: health, reports, failed and dead events, replay, recovery of",
            "events Stripe sent but the log lacks, reconciliation, consistency and duplicate checks, retention.",
            "",
            "The CLI runs no handlers. replay and recover put events into the inbox, where the application's",
            "inbox workers (asynchronous mode, the default with JDBC) run them."},
        subcommands = {StatusCommand.class, ReportCommand.class, FailedCommand.class, DeadCommand.class,
            ReplayCommand.class, RecoverCommand.class, ReconcileCommand.class, CheckConsistencyCommand.class,
            FindDuplicatePaymentsCommand.class, PurgeCommand.class},
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  HOOKWISE_JDBC_URL     the event log's JDBC URL (or --jdbc-url)",
            "  HOOKWISE_DB_USER      the database user (or --db-user)",
            "  HOOKWISE_DB_PASSWORD  the database password (or --db-password-file)",
            "  STRIPE_API_KEY        Stripe API key for recover and reconcile (or --stripe-key-file)",
            "",
            "Exit codes:",
            "  0 ok   1 problems found / unhealthy   2 usage error   3 store or Stripe unreachable",
            "  4 application extension missing   5 cancelled at the prompt   10 internal error"})
public final class HookwiseCommand {

    private final CliIo io;
    private @Nullable EventLog eventLog;
    private @Nullable StripeClient stripe;
    private final Secrets secrets = new Secrets();

    @Option(names = "--jdbc-url", scope = ScopeType.INHERIT, paramLabel = "<url>",
            description = "JDBC URL of the event log (PostgreSQL, MySQL/MariaDB, H2); default: env HOOKWISE_JDBC_URL")
    private @Nullable String jdbcUrl;

    @Option(names = "--db-user", scope = ScopeType.INHERIT, paramLabel = "<user>",
            description = "database user; default: env HOOKWISE_DB_USER")
    private @Nullable String dbUser;

    @Option(names = "--db-password-file", scope = ScopeType.INHERIT, paramLabel = "<file>",
            description = "file holding the database password (else env HOOKWISE_DB_PASSWORD)")
    private @Nullable Path dbPasswordFile;

    @Option(names = "--table-prefix", scope = ScopeType.INHERIT, paramLabel = "<prefix>",
            description = "table prefix of the event log and state tables (default: ${DEFAULT-VALUE})",
            defaultValue = "hookwise_")
    private String tablePrefix = "hookwise_";

    @Option(names = "--stripe-key-file", scope = ScopeType.INHERIT, paramLabel = "<file>",
            description = "file holding the Stripe API key (else env STRIPE_API_KEY)")
    private @Nullable Path stripeKeyFile;

    @Option(names = "--stripe-api-base", scope = ScopeType.INHERIT, paramLabel = "<url>", hidden = false,
            description = "Stripe API base URL (tests point it at a fake; default: Stripe's)")
    private @Nullable String stripeApiBase;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "print JSON instead of tables (for scripts)")
    private boolean json;

    @Option(names = {"-y", "--yes"}, scope = ScopeType.INHERIT,
            description = "confirm writes without asking (needed when no terminal is attached)")
    private boolean yes;

    @Option(names = "--progress", scope = ScopeType.INHERIT,
            description = "show progress on stderr even when it is not a terminal")
    private boolean progress;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "log library messages and stack traces")
    private boolean verbose;

    public HookwiseCommand(CliIo io) {
        this.io = io;
    }

    public CliIo io() {
        return io;
    }

    public Secrets secrets() {
        return secrets;
    }

    public boolean json() {
        return json;
    }

    public boolean verbose() {
        return verbose;
    }

    public String tablePrefix() {
        return tablePrefix;
    }

    /** A progress line on stderr, shown when stderr is a terminal or {@code --progress} asks. */
    public Progress progress(String label) {
        return new Progress(io.err(), progress || io.errIsTerminal(), label);
    }

    /** Asks before a write, or refuses it (see {@link Confirmation}). */
    public Confirmation confirmation() {
        return new Confirmation(io, yes);
    }

    /** The event log, opened on first use and closed by {@link #close()}. */
    public EventLog eventLog() {
        if (eventLog == null) {
            String url = jdbcUrl != null ? jdbcUrl : io.env().get("HOOKWISE_JDBC_URL");
            if (url == null || url.isBlank()) {
                throw new CliException(ExitCode.USAGE, "no event log given: pass --jdbc-url <url> or set HOOKWISE_JDBC_URL"
                        + " (e.g. jdbc:postgresql://db:5432/app)");
            }
            String user = dbUser != null ? dbUser : io.env().get("HOOKWISE_DB_USER");
            String password = dbPasswordFile != null ? readSecretFile(dbPasswordFile, "--db-password-file")
                    : io.env().get("HOOKWISE_DB_PASSWORD");
            secrets.add(password);
            secrets.addUrlSecrets(url);
            eventLog = EventLog.open(url, user, password, tablePrefix, io.clock());
        }
        return eventLog;
    }

    /** The Stripe client, built on first use from STRIPE_API_KEY or {@code --stripe-key-file}. */
    public StripeClient stripe() {
        if (stripe == null) {
            String key = stripeKeyFile != null ? readSecretFile(stripeKeyFile, "--stripe-key-file")
                    : io.env().get("STRIPE_API_KEY");
            if (key == null || key.isBlank()) {
                throw new CliException(ExitCode.USAGE, "no Stripe API key: set STRIPE_API_KEY or pass --stripe-key-file"
                        + " <file> (a secret key sk_… or a restricted key rk_… that may read events and the objects"
                        + " your reconcilers fetch)");
            }
            secrets.add(key);
            stripe = Stripes.client(key, stripeApiBase);
        }
        return stripe;
    }

    /** Closes the event log's pool, if one was opened. */
    public void close() {
        if (eventLog != null) {
            eventLog.close();
        }
    }

    private String readSecretFile(Path file, String option) {
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new CliException(ExitCode.USAGE, option + " " + file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, option + " " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + "); give a readable file holding only the secret");
        }
    }

    /** The version shown by {@code --version}. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = HookwiseCommand.class.getPackage().getImplementationVersion();
            return new String[] {"hookwise " + (v != null ? v : "0.1.0-SNAPSHOT")};
        }
    }
}
