package dev.hookwise.cli.command;

import dev.hookwise.cli.CliException;
import dev.hookwise.cli.CliIo;
import dev.hookwise.cli.ExitCode;
import dev.hookwise.cli.HookwiseCommand;
import dev.hookwise.cli.internal.TimeArgs;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ParentCommand;

/** What every subcommand shares: the root's options and io, and closing the connection afterwards. */
abstract class CliCommand implements Callable<Integer> {

    @ParentCommand
    HookwiseCommand root;

    @Override
    public final Integer call() {
        try {
            return run();
        } finally {
            root.close();
        }
    }

    /** Runs the command and returns its exit code. */
    abstract int run();

    CliIo io() {
        return root.io();
    }

    PrintWriter out() {
        return root.io().out();
    }

    /** Now, to the second: windows and ages read better, and nothing here needs more. */
    Instant now() {
        return root.io().clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    boolean json() {
        return root.json();
    }

    /** A window {@code [start, end)} of event creation times. */
    record Window(Instant start, Instant end) {}

    /**
     * The window of a command's {@code --from} and {@code --to} (default now); a usage error when it
     * is empty or reversed.
     */
    Window window(String from, @Nullable String to) {
        Instant now = now();
        Instant start = TimeArgs.instant(from, now, "--from");
        Instant end = to == null ? now : TimeArgs.instant(to, now, "--to");
        if (!start.isBefore(end)) {
            throw new CliException(ExitCode.USAGE, "--from (" + start + ") must be before --to (" + end + ")");
        }
        return new Window(start, end);
    }
}
