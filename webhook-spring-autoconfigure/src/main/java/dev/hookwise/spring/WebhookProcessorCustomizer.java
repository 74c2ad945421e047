package dev.hookwise.spring;

import dev.hookwise.core.WebhookProcessor;

/**
 * Tweaks the {@link WebhookProcessor.Builder} after the starter applied the {@code hookwise.*}
 * properties and before it builds the processor: an {@code EventFilter}, a custom retry policy,
 * anything the properties do not cover. Customizers run in {@code @Order} order.
 *
 * <pre>{@code
 * @Bean
 * WebhookProcessorCustomizer liveOnly() {
 *     return builder -> builder.filter(EventFilter.builder().livemode(true).build());
 * }
 * }</pre>
 */
@FunctionalInterface
public interface WebhookProcessorCustomizer {

    /** Adjusts {@code builder}; called once, at start-up. */
    void customize(WebhookProcessor.Builder builder);
}
