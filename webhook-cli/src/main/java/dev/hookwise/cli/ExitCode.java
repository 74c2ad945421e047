package dev.hookwise.cli;

/**
 * The exit codes of {@code hookwise}, for scripts. Every command documents which it returns.
 *
 * <pre>
 * 0  OK: done, nothing wrong found
 * 1  problems found: unhealthy, failed/dead events exist, drift, inconsistencies, duplicates,
 *    events missing from the log, a replay or a queueing that did not happen
 * 2  usage error: a bad option or value, missing configuration, a write refused for want of --yes
 * 3  the event store or Stripe is unreachable, or refused the credentials
 * 4  the command needs the application's extension (state machines, reconcilers) and none is on the classpath
 * 5  cancelled at the confirmation prompt; nothing was written
 * 10 an unexpected internal error (a bug: please report it with --verbose output)
 * </pre>
 */
public final class ExitCode {
    /** Done, nothing wrong found. */
    public static final int OK = 0;
    /** The command ran and found something that needs a person. */
    public static final int PROBLEMS = 1;
    /** A bad option, a missing setting, or a write refused without confirmation. */
    public static final int USAGE = 2;
    /** The event store or Stripe is unreachable, or refused the credentials. */
    public static final int UNAVAILABLE = 3;
    /** No {@link dev.hookwise.cli.spi.HookwiseCliExtension} on the classpath provides what the command needs. */
    public static final int NO_EXTENSION = 4;
    /** The operator answered no at the confirmation prompt. */
    public static final int CANCELLED = 5;
    /** A bug. */
    public static final int INTERNAL = 10;

    private ExitCode() {}
}
