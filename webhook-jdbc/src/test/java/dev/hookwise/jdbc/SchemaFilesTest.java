package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The migrations the jar ships, generated from the templates in {@code src/main/sql}, are frozen:
 * Flyway refuses to start when an applied migration's checksum changes, so each file must stay the
 * bytes it was first shipped as. A change to a template or a dialect's fragments that alters a
 * shipped file fails here; a new column belongs in a new migration.
 */
class SchemaFilesTest {

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
        "h2, V1__hookwise_event_log.sql, 3f9b7be0c34fa17d0cb0525430dec53ef846e797692c6b75e3417b56d28049fa",
        "h2, V2__hookwise_state.sql, 6d25ff6d99637f449199f51a1082fa2e95b5dcf933606c0df7cc9df9c07b6a43",
        "h2, V3__hookwise_trace_context.sql, f2b9bfd04717ca66df6453d669a04f0898b18c6cbd16054542d613cbd392da94",
        "mysql, V1__hookwise_event_log.sql, 4f9b9150582f4796bc614d60c669dbe03fd28fc3b68aafe5915eb628bb0949cd",
        "mysql, V2__hookwise_state.sql, 12888a30e12aef2f2c53862995fb1369995e536efc98b209598f257096351600",
        "mysql, V3__hookwise_trace_context.sql, 001292d229550e6faba02839bc9017b4781f496ef1df406fdf3e942bc3596f18",
        "postgresql, V1__hookwise_event_log.sql, d80a551bbe9c62e36dedd6cbfae69e4067bc698ec28544a6c68584c8ebbde614",
        "postgresql, V2__hookwise_state.sql, 3990078535bd4592007072dfc912de41d09dfd298bb29f08c22576b21024536f",
        "postgresql, V3__hookwise_trace_context.sql, 2ad243dd0cffef5d21c999436a813117daef5373f9e61760e4f87c9fb3b89a41",
    })
    void shippedMigrationKeepsItsBytes(String folder, String file, String sha256)
            throws IOException, NoSuchAlgorithmException {
        String resource = "dev/hookwise/jdbc/schema/" + folder + "/" + file;
        byte[] bytes;
        try (InputStream in = SchemaFilesTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource + " on the classpath").isNotNull();
            bytes = in.readAllBytes();
        }
        String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(actual).as("SHA-256 of " + resource + " (a shipped migration must never change)")
                .isEqualTo(sha256);
    }
}
