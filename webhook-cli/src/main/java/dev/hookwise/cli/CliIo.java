package dev.hookwise.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.Charset;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a run of the CLI touches outside itself: its streams, whether a person sits at them,
 * the environment and the clock. {@link #system()} is the real process; tests pass their own, so
 * they capture output and never depend on the machine's environment.
 *
 * @param out standard output: results (tables or JSON)
 * @param err standard error: progress, prompts, warnings and errors
 * @param in where confirmations are read from
 * @param interactive whether a person can answer a prompt (standard input and error are a terminal)
 * @param errIsTerminal whether standard error is a terminal (progress is shown by default then)
 * @param env the environment variables
 * @param clock the time source for "now", ages and windows
 */
public record CliIo(PrintWriter out, PrintWriter err, Reader in, boolean interactive, boolean errIsTerminal,
        Map<String, String> env, Clock clock) {

    public CliIo {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(in, "in");
        env = Map.copyOf(env);
        Objects.requireNonNull(clock, "clock");
    }

    /** The process's own streams, environment and the UTC system clock. */
    @SuppressWarnings("SystemConsoleNull") // a console that exists is asked isTerminal() (below), as the check wants
    public static CliIo system() {
        java.io.Console console = System.console();
        boolean terminal = console != null && isTerminal(console);
        Charset charset = console != null ? console.charset() : Charset.defaultCharset();
        return new CliIo(new PrintWriter(System.out, true, charset), new PrintWriter(System.err, true, charset),
                new BufferedReader(new InputStreamReader(System.in, charset)), terminal, terminal, System.getenv(),
                Clock.systemUTC());
    }

    /**
     * On Java 22+ {@code System.console()} exists even when the streams are redirected; its
     * {@code isTerminal()} (looked up reflectively, this code targets Java 17) says whether a person
     * is there. Before 22, a console exists only for a terminal.
     */
    private static boolean isTerminal(java.io.Console console) {
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
