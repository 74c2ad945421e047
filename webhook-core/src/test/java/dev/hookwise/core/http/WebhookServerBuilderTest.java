package dev.hookwise.core.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.HookwiseConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookServerBuilderTest {

    @Test
    void rejectsFewerThanOneRequestThread() {
        assertThatThrownBy(() -> WebhookServer.builder().threads(0))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("threads must be >= 1, but was 0");
    }

    @Test
    void rejectsNegativeQueueCapacity() {
        assertThatThrownBy(() -> WebhookServer.builder().queueCapacity(-1))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("queueCapacity must be >= 0, but was -1");
    }

    @Test
    void rejectsFewerThanOneConnectionThread() {
        assertThatThrownBy(() -> WebhookServer.builder().connectionThreads(0))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("connectionThreads must be >= 1, but was 0");
    }

    @Test
    void rejectsDeadlinesTheJdkCannotExpress() {
        assertThatThrownBy(() -> WebhookServer.builder().requestDeadline(Duration.ZERO))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("requestDeadline must be a whole number of seconds, at least 1 (the JDK server counts in"
                        + " seconds), but was PT0S");
        assertThatThrownBy(() -> WebhookServer.builder().requestDeadline(Duration.ofMillis(1500)))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessageContaining("requestDeadline must be a whole number of seconds")
                .hasMessageEndingWith("but was PT1.5S");
        assertThatThrownBy(() -> WebhookServer.builder().responseDeadline(Duration.ofSeconds(-5)))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessageStartingWith("responseDeadline must be a whole number of seconds")
                .hasMessageEndingWith("but was PT-5S");
    }

    @Test
    void rejectsPathWithoutLeadingSlash() {
        assertThatThrownBy(() -> WebhookServer.builder().path("stripe/webhook"))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("path must start with /, but was stripe/webhook");
    }

    @Test
    void rejectsRetryAfterBelowOneSecond() {
        assertThatThrownBy(() -> WebhookServer.builder().retryAfter(Duration.ofMillis(500)))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("retryAfter must be at least 1 second, but was PT0.5S");
    }

    @Test
    void namesMissingValues() {
        assertThatThrownBy(() -> WebhookServer.builder().address(null))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("address must not be null");
        assertThatThrownBy(() -> WebhookServer.builder().requestDeadline(null))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("requestDeadline must not be null");
        assertThatThrownBy(() -> WebhookServer.builder().start())
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("processor is required: call processor(...) before start()");
    }
}
