package dev.hookwise.cli.command;

import dev.hookwise.cli.CliIo;
import dev.hookwise.cli.HookwiseCommand;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
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
}
