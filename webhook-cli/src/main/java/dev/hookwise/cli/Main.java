package dev.hookwise.cli;

/**
 * The {@code hookwise} executable: {@code java -jar hookwise.jar <command> …}. Exits with the
 * command's {@link ExitCode}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // Library logs are for developers; an operator sees warnings unless --verbose asks for more.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        int code = HookwiseCli.run(CliIo.system(), args);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }
}
