package dev.hookwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the CLI in this JVM through picocli with captured stdout and stderr, a given environment,
 * clock and (optionally) a person at a terminal typing {@code input}.
 */
final class CliRun {
    private final Map<String, String> env = new HashMap<>();
    private final Clock clock;
    private boolean interactive;
    private String input = "";

    private CliRun(Clock clock) {
        this.clock = clock;
    }

    static CliRun with(Clock clock) {
        return new CliRun(clock);
    }

    CliRun env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** A person at a terminal who will type {@code line}. */
    CliRun typing(String line) {
        this.interactive = true;
        this.input = line + "\n";
        return this;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliIo io = new CliIo(new PrintWriter(out, true), new PrintWriter(err, true), new StringReader(input), interactive,
                false, env, clock);
        int code = HookwiseCli.run(io, args);
        return new Result(code, out.toString(), err.toString());
    }

    /** What a run printed and returned. */
    record Result(int code, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (Exception e) {
                throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
