package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.NOW;
import static dev.hookwise.core.TestEvents.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.policy.SourceAddressFilter;
import dev.hookwise.core.spi.EventSource;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SourceAddressFilterTest {
    private final SourceAddressFilter filter = SourceAddressFilter.builder()
            .allow("3.18.12.0/24", "54.187.174.169", "2600:1f16::/32")
            .trustProxies("10.0.0.0/8")
            .build();

    @Test
    void allowsAddressesInsideTheBlocks() {
        assertThat(filter.allows("3.18.12.63", null)).isTrue();
        assertThat(filter.allows("54.187.174.169", null)).isTrue();
        assertThat(filter.allows("2600:1f16:0:1::5", null)).isTrue();
        assertThat(filter.allows("[2600:1f16::1]", null)).isTrue();
    }

    @Test
    void refusesAddressesOutsideTheBlocksAndGarbage() {
        assertThat(filter.allows("3.18.13.1", null)).isFalse();
        assertThat(filter.allows("54.187.174.170", null)).isFalse();
        assertThat(filter.allows("2600:1f17::1", null)).isFalse();
        assertThat(filter.allows(null, null)).isFalse();
        assertThat(filter.allows("stripe.com", null)).as("no DNS lookups").isFalse();
        assertThat(filter.allows("", null)).isFalse();
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() {
        assertThat(filter.allows("10.1.2.3", "3.18.12.63")).isTrue();
        assertThat(filter.allows("10.1.2.3", "198.51.100.7, 3.18.12.63, 10.9.9.9")).as("right-most untrusted hop").isTrue();
        assertThat(filter.allows("10.1.2.3", "3.18.12.63, 198.51.100.7")).isFalse();
        assertThat(filter.allows("198.51.100.7", "3.18.12.63")).as("spoofed header from an untrusted peer").isFalse();
        assertThat(filter.allows("10.1.2.3", "not-an-ip")).isFalse();
        assertThat(filter.allows("10.1.2.3", null)).as("proxy itself is not allowed").isFalse();
    }

    @Test
    void emptyFilterAllowsEverything() {
        assertThat(SourceAddressFilter.allowAll().allows(null, null)).isTrue();
        assertThat(SourceAddressFilter.allowAll().isActive()).isFalse();
    }

    @Test
    void badBlocksFailAtBuildTime() {
        assertThatThrownBy(() -> SourceAddressFilter.builder().allow("3.18.12.0/33"))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> SourceAddressFilter.builder().allow("example.com"))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> SourceAddressFilter.builder().trustProxies("10.0.0.0/8").build())
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("no allowed address");
    }

    @Test
    void processorAnswers403ForOtherSources() {
        WebhookProcessor p = WebhookProcessor.builder().signingSecrets(SECRET).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .sourceAddressFilter(filter).build();
        byte[] body = TestEvents.event("evt_ip", "payment_intent.succeeded", NOW);
        String sig = TestEvents.header(SECRET, NOW, body);

        WebhookResponse refused = p.process(new WebhookRequest(body, sig, "198.51.100.7", EventSource.WEBHOOK));
        WebhookResponse allowed = p.process(new WebhookRequest(body, sig, "3.18.12.63", EventSource.WEBHOOK));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.outcome()).isEqualTo(Outcome.FORBIDDEN_SOURCE);
        assertThat(allowed.status()).isEqualTo(200);
    }
}
