package dev.hookwise.core;

import dev.hookwise.core.spi.EventSource;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One delivery, HTTP-neutral: the raw body exactly as received and the {@code Stripe-Signature}
 * header. Any web stack adapts to it in a few lines.
 *
 * @param body the raw request body; never re-serialised JSON, the signature covers these bytes
 * @param signatureHeader the {@code Stripe-Signature} header value, or null when absent
 * @param remoteAddress the peer's address, for the optional allow-list; null when unknown
 * @param forwardedFor the {@code X-Forwarded-For} header, believed only from trusted proxies; null when absent
 * @param source {@link EventSource#WEBHOOK} for deliveries from Stripe
 */
public record WebhookRequest(
        byte[] body, @Nullable String signatureHeader, @Nullable String remoteAddress, @Nullable String forwardedFor,
        EventSource source) {

    public WebhookRequest {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(source, "source");
    }

    /** A request without {@code X-Forwarded-For}. */
    public WebhookRequest(byte[] body, @Nullable String signatureHeader, @Nullable String remoteAddress, EventSource source) {
        this(body, signatureHeader, remoteAddress, null, source);
    }

    /** A delivery from Stripe. */
    public static WebhookRequest of(byte[] body, @Nullable String signatureHeader) {
        return new WebhookRequest(body, signatureHeader, null, EventSource.WEBHOOK);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookRequest r
                && java.util.Arrays.equals(body, r.body)
                && Objects.equals(signatureHeader, r.signatureHeader)
                && Objects.equals(remoteAddress, r.remoteAddress)
                && Objects.equals(forwardedFor, r.forwardedFor)
                && source == r.source;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(body) * 31 + Objects.hash(signatureHeader, remoteAddress, forwardedFor, source);
    }

    @Override
    public String toString() {
        // Never the body: it may carry customer data.
        return "WebhookRequest[" + body.length + " bytes, source=" + source + "]";
    }
}
