package dev.hookwise.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HandlerRegistryTest {
    private final WebhookHandler exact = ctx -> {};
    private final WebhookHandler prefix = ctx -> {};
    private final WebhookHandler any = ctx -> {};
    private final WebhookHandler second = ctx -> {};

    private final HandlerRegistry registry = HandlerRegistry.builder()
            .onAny(any)
            .on("invoice.payment_succeeded", exact)
            .on("invoice.*", prefix)
            .on("invoice.payment_succeeded", second)
            .build();

    @Test
    void runsEveryMatchingHandlerInRegistrationOrder() {
        assertThat(registry.handlersFor("invoice.payment_succeeded")).containsExactly(any, exact, prefix, second);
    }

    @Test
    void prefixMatchesOnlyItsNamespace() {
        assertThat(registry.handlersFor("invoice.created")).containsExactly(any, prefix);
        assertThat(registry.handlersFor("invoiceitem.created")).containsExactly(any);
    }

    @Test
    void catchAllMatchesUnknownTypes() {
        assertThat(registry.handlersFor("something.new")).containsExactly(any);
    }

    @Test
    void emptyRegistryHandlesNothing() {
        assertThat(HandlerRegistry.empty().handles("invoice.paid")).isFalse();
    }

    @Test
    void rejectsInvalidPatterns() {
        for (String bad : List.of("", " ", "invoice*", "*.paid", "invoice.*.x", "in*voice", ".*")) {
            assertThatThrownBy(() -> HandlerRegistry.builder().on(bad, ctx -> {}))
                    .as(bad).isInstanceOf(HookwiseConfigurationException.class);
        }
    }
}
