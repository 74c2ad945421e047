/**
 * Hookwise's public API: the {@link dev.hookwise.core.WebhookProcessor} pipeline, event envelopes,
 * handlers and their registry, outcomes and the exception hierarchy.
 *
 * <pre>{@code
 * WebhookProcessor processor = WebhookProcessor.builder()
 *         .signingSecrets("whsec_...")
 *         .handlers(HandlerRegistry.builder()
 *                 .on("payment_intent.succeeded", PaymentIntent.class, (pi, ctx) -> orders.markPaid(pi))
 *                 .build())
 *         .build();
 * WebhookResponse response = processor.process(WebhookRequest.of(body, signatureHeader));
 * }</pre>
 *
 * <p>Around it: {@code .policy} (what the pipeline admits, how it retries), {@code .signature}
 * (verification on its own), {@code .inbox} (the worker of the asynchronous mode),
 * {@code .operations} (replay, retention, health, reports), {@code .spi} (what stores implement)
 * and {@code .internal} (not API). The pipeline may use {@code .policy}, {@code .signature},
 * {@code .spi} and {@code .internal}; it never depends on {@code .inbox} or {@code .operations},
 * which build on it.
 */
@NullMarked
package dev.hookwise.core;

import org.jspecify.annotations.NullMarked;
