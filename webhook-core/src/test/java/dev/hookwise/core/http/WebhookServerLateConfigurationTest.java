package dev.hookwise.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.WebhookProcessor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Another JDK HTTP server read the JVM-wide configuration before WebhookServer was loaded. Runs in
 * a JVM of its own (tag {@code own-jvm}) so that WebhookServer really is loaded after it.
 */
@Tag("own-jvm")
class WebhookServerLateConfigurationTest {

    @Test
    void warnsThatTheDeadlinesCouldNotBeAppliedAndWhy() throws Exception {
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.start();
        WebhookProcessor processor = WebhookProcessor.builder().signingSecrets(SignedDeliveries.SECRET)
                .handlers(HandlerRegistry.builder().build()).build();
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (WebhookServer server = WebhookServer.builder().processor(processor)
                .address(new InetSocketAddress("127.0.0.1", 0)).requestDeadline(Duration.ofSeconds(2)).start()) {
            assertThat(server.requestDeadline()).isEmpty();
            assertThat(server.responseDeadline()).isEmpty();
        } finally {
            System.setErr(err);
            other.stop(0);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("WARN")
                .contains("The request deadline PT2S could not be applied: a JDK HTTP server ran in this JVM before"
                        + " WebhookServer was loaded")
                .contains("The JDK HTTP server enforces no request deadline")
                .contains("-Dsun.net.httpserver.maxReqTime=<seconds>")
                .contains("The response deadline PT1M could not be applied")
                .contains("-Dsun.net.httpserver.maxRspTime=<seconds>");
    }
}
