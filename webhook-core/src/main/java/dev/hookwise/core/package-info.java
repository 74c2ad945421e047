/**
 * Hookwise's public API: the {@link dev.hookwise.core.WebhookProcessor} pipeline, signature
 * verification, event envelopes, handlers and their registry, and the policies that configure them.
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
 */
@NullMarked
package dev.hookwise.core;

import org.jspecify.annotations.NullMarked;
