package dev.hookwise.cli.internal;

import dev.hookwise.cli.CliException;
import dev.hookwise.cli.CliIo;
import dev.hookwise.cli.ExitCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.Locale;

/**
 * The question asked before every write. {@code --yes} answers it; a person at a terminal answers
 * {@code y} or {@code yes}; without a terminal and without {@code --yes} the write is refused
 * (exit 2), so that a script never writes by accident, nor hangs waiting for an answer.
 */
public final class Confirmation {
    private final CliIo io;
    private final boolean yes;

    public Confirmation(CliIo io, boolean yes) {
        this.io = io;
        this.yes = yes;
    }

    /**
     * Returns normally when the write may go ahead.
     *
     * @param question e.g. "Queue 12 events into the inbox?"
     * @throws CliException exit 2 when nobody can answer, exit 5 when the answer is no
     */
    public void require(String question) {
        if (yes) {
            return;
        }
        if (!io.interactive()) {
            throw new CliException(ExitCode.USAGE, "refusing to write without confirmation: no terminal to ask \""
                    + question + "\" on; run it again with --yes to confirm (or --dry-run to only look)");
        }
        io.err().print(question + " [y/N] ");
        io.err().flush();
        String answer;
        try {
            answer = new BufferedReader(io.in()).readLine();
        } catch (IOException e) {
            answer = null;
        }
        String a = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
        if (!a.equals("y") && !a.equals("yes")) {
            throw new CliException(ExitCode.CANCELLED, "cancelled; nothing was written");
        }
    }
}
