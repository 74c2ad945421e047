package dev.hookwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the CLI answers before (or instead of) touching a database: help, usage errors, secrets. */
class CliUsageTest {
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-20T12:00:00Z"));

    private CliRun cli() {
        return CliRun.with(clock);
    }

    @Test
    void helpListsEveryCommandTheEnvironmentAndTheExitCodes() {
        CliRun.Result r = cli().run("--help");
        assertThat(r.code()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("status", "report", "failed", "dead", "replay", "recover", "reconcile",
                "check-consistency", "find-duplicate-payments", "purge", "HOOKWISE_JDBC_URL", "HOOKWISE_DB_PASSWORD",
                "STRIPE_API_KEY", "2 usage error", "3 store or Stripe unreachable", "runs no handlers");
    }

    @Test
    void replayAndRecoverSayInTheirHelpThatTheWorkersRunTheEvents() {
        assertThat(cli().run("replay", "--help").out()).contains("inbox workers to run: the CLI runs no handlers");
        assertThat(cli().run("recover", "--help").out()).contains("the CLI runs no handlers");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CliRun.Result r = cli().run("status", "--no-such-option");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("Unknown option: '--no-such-option'").contains("--help");
    }

    @Test
    void thePasswordIsNeverAnOption() {
        CliRun.Result r = cli().run("status", "--jdbc-url", "jdbc:h2:mem:x", "--db-password", "hunter22secret");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.out() + r.err()).doesNotContain("hunter22secret");
        assertThat(r.err()).contains("Secrets are never options").contains("HOOKWISE_DB_PASSWORD");
    }

    @Test
    void withoutAnEventLogTheCommandSaysWhatToSet() {
        CliRun.Result r = cli().run("status");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("pass --jdbc-url <url> or set HOOKWISE_JDBC_URL");
    }

    @Test
    void aBadDurationIsAUsageErrorThatShowsTheForms() {
        CliRun.Result r = cli().run("status", "--jdbc-url", "jdbc:h2:mem:x", "--window", "fortnight");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--window must be a positive duration such as 90s, 15m, 24h, 7d");
    }

    @Test
    void anUnreachableDatabaseExitsThreeAndNeverShowsThePassword(@TempDir Path dir) throws Exception {
        Path passwordFile = dir.resolve("pw");
        Files.writeString(passwordFile, "file-secret-4711\n");
        CliRun.Result fromEnv = cli().env("HOOKWISE_DB_PASSWORD", "env-secret-4711")
                .env("HOOKWISE_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/test?connectTimeout=1&password=url-secret-4711")
                .env("HOOKWISE_DB_USER", "postgres")
                .run("status");
        assertThat(fromEnv.code()).as(fromEnv.toString()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(fromEnv.err()).contains("the event store is unavailable");
        assertThat(fromEnv.out() + fromEnv.err()).doesNotContain("env-secret-4711").doesNotContain("url-secret-4711");

        CliRun.Result fromFile = cli().run("dead", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/test?connectTimeout=1",
                "--db-user", "postgres", "--db-password-file", passwordFile.toString(), "--verbose");
        assertThat(fromFile.code()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(fromFile.out() + fromFile.err()).doesNotContain("file-secret-4711");
    }

    @Test
    void anUnreadablePasswordFileIsAUsageError(@TempDir Path dir) {
        CliRun.Result r = cli().run("status", "--jdbc-url", "jdbc:h2:mem:x", "--db-password-file",
                dir.resolve("missing").toString());
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--db-password-file").contains("cannot be read");
    }
}
