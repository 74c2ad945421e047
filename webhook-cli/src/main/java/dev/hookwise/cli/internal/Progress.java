package dev.hookwise.cli.internal;

import java.io.PrintWriter;

/**
 * One line on stderr that counts what a command has read so far ("reading the event log: 3000
 * events"), rewritten in place. Silent unless enabled (stderr is a terminal, or {@code --progress}).
 * Results never go here, so stdout stays clean for scripts.
 */
public final class Progress implements AutoCloseable {
    private final PrintWriter err;
    private final boolean enabled;
    private String label;
    private boolean shown;

    public Progress(PrintWriter err, boolean enabled, String label) {
        this.err = err;
        this.enabled = enabled;
        this.label = label;
    }

    /** Changes the label for the next steps. */
    public synchronized void label(String value) {
        finishLine();
        this.label = value;
    }

    /** Shows {@code count unit} after the label. */
    public synchronized void update(long count, String unit) {
        if (!enabled) {
            return;
        }
        err.print("\r" + label + ": " + count + " " + unit + "   ");
        err.flush();
        shown = true;
    }

    private void finishLine() {
        if (shown) {
            err.println();
            err.flush();
            shown = false;
        }
    }

    /** Ends the line, so that what follows starts on its own. */
    @Override
    public synchronized void close() {
        finishLine();
    }
}
