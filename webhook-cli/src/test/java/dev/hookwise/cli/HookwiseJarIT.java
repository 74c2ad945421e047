package dev.hookwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.jdbc.JdbcIdempotencyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code target/hookwise.jar} as a real process ({@code java -jar}), as an operator runs
 * it. Maven runs this class in the integration-test phase, after {@code package} built the jar
 * (see the module's pom); elsewhere it is skipped when the jar is missing.
 */
class HookwiseJarIT {

    private static Path jar() {
        Path jar = Path.of(System.getProperty("hookwise.jar", "target/hookwise.jar"));
        Assumptions.assumeTrue(Files.isRegularFile(jar), jar + " is not built; run mvn -pl webhook-cli package first");
        return jar;
    }

    private record Exit(int code, String out, String err) {}

    private static Exit java(Path dir, List<String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar().toAbsolutePath().toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("HOOKWISE_JDBC_URL");
        pb.environment().remove("STRIPE_API_KEY");
        for (String e : env) {
            pb.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        }
        Path out = dir.resolve("out-" + UUID.randomUUID());
        Path err = dir.resolve("err-" + UUID.randomUUID());
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("hookwise " + String.join(" ", args) + " did not end within 2 minutes");
        }
        return new Exit(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void helpWorksFromTheJar(@TempDir Path dir) throws Exception {
        Exit help = java(dir, List.of(), "--help");
        assertThat(help.code()).as(help.err()).isZero();
        assertThat(help.out()).startsWith("Usage: hookwise").contains("recover", "reconcile", "purge");
    }

    @Test
    void aUsageErrorExitsTwoFromTheJar(@TempDir Path dir) throws Exception {
        Exit r = java(dir, List.of(), "status");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("HOOKWISE_JDBC_URL");
    }

    @Test
    void statusReadsAnEventLogThroughTheBundledDriverAndWritesAScriptsJson(@TempDir Path dir) throws Exception {
        String name = "hwjar" + UUID.randomUUID().toString().substring(0, 8);
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        try (Connection keepAlive = h2.getConnection()) {
            JdbcIdempotencyStore.builder(h2).tablePrefix("jar_").createSchema(true).build();
            Server server = Server.createTcpServer("-tcpPort", "0").start();
            try {
                String url = "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/mem:" + name;
                Exit r = java(dir, List.of("HOOKWISE_JDBC_URL=" + url, "HOOKWISE_DB_USER=sa"), "status", "--json",
                        "--table-prefix", "jar_");
                assertThat(r.code()).as(r.err()).isZero();
                assertThat(r.out()).contains("\"status\" : \"UP\"").contains("\"backlog\" : 0");
                assertThat(r.err()).as("no library chatter on stderr by default").isEmpty();
            } finally {
                server.stop();
            }
        }
    }
}
