package dev.hookwise.core.spi;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the pipeline tells a store about an event when it first records it.
 *
 * @param id Stripe's event id ({@code evt_…})
 * @param type event type, e.g. {@code payment_intent.succeeded}
 * @param created when Stripe created the event
 * @param livemode whether the event comes from live mode
 * @param apiVersion the API version the payload was rendered with, if Stripe sent one
 * @param account the connected account id for Connect events, else null
 * @param source how the event reached the pipeline
 * @param payload the raw body as received, kept for replay; null when payload storage is off
 * @param traceContext the trace context of the delivery, encoded by the pipeline (at most
 *     {@value #MAX_TRACE_CONTEXT_LENGTH} characters of printable ASCII, opaque to stores), or null when
 *     there is none; set only on events given to {@link InboxStore#enqueue}, so that the worker's
 *     processing continues the delivery's trace. Stores keep it with the event and report it in
 *     {@link EventRecord#traceContext()}; a store that does not keep it only loses that link.
 */
public record NewEvent(
        String id,
        String type,
        Instant created,
        boolean livemode,
        @Nullable String apiVersion,
        @Nullable String account,
        EventSource source,
        byte @Nullable [] payload,
        @Nullable String traceContext) {

    /**
     * The longest event id or type the pipeline accepts (the envelope parser rejects longer ones with
     * 400); stores size their columns to it.
     */
    public static final int MAX_ID_LENGTH = 255;

    /**
     * The longest {@link #traceContext()}: enough for W3C {@code traceparent} and {@code tracestate}
     * or B3 headers; stores size their column to it.
     *
     * @since 0.2.0
     */
    public static final int MAX_TRACE_CONTEXT_LENGTH = 1024;

    /**
     * Checks the required values and the trace context's length and characters.
     *
     * @param id Stripe's event id ({@code evt_…})
     * @param type event type
     * @param created when Stripe created the event
     * @param livemode whether the event comes from live mode
     * @param apiVersion the API version of the payload, or null
     * @param account the connected account id, or null
     * @param source how the event reached the pipeline
     * @param payload the raw body, or null
     * @param traceContext the delivery's trace context as the pipeline encoded it, or null
     * @throws IllegalArgumentException if the trace context is longer than
     *     {@value #MAX_TRACE_CONTEXT_LENGTH} characters or holds a character outside printable ASCII
     *     and line feed
     */
    // Written out, not compact: javac writes a compact constructor's annotation on an array parameter
    // (payload's @Nullable) with the wrong target, and nullness checkers reading the class file miss it.
    public NewEvent(String id, String type, Instant created, boolean livemode, @Nullable String apiVersion,
            @Nullable String account, EventSource source, byte @Nullable [] payload, @Nullable String traceContext) {
        this.id = Objects.requireNonNull(id, "id");
        this.type = Objects.requireNonNull(type, "type");
        this.created = Objects.requireNonNull(created, "created");
        this.livemode = livemode;
        this.apiVersion = apiVersion;
        this.account = account;
        this.source = Objects.requireNonNull(source, "source");
        this.payload = payload;
        if (traceContext != null) {
            checkTraceContext(traceContext);
        }
        this.traceContext = traceContext;
    }

    /**
     * An event without a trace context, as every event was before 0.2.0.
     *
     * @param id Stripe's event id ({@code evt_…})
     * @param type event type
     * @param created when Stripe created the event
     * @param livemode whether the event comes from live mode
     * @param apiVersion the API version of the payload, or null
     * @param account the connected account id, or null
     * @param source how the event reached the pipeline
     * @param payload the raw body, or null
     */
    public NewEvent(String id, String type, Instant created, boolean livemode, @Nullable String apiVersion,
            @Nullable String account, EventSource source, byte @Nullable [] payload) {
        this(id, type, created, livemode, apiVersion, account, source, payload, null);
    }

    /** A copy without the payload, for stores configured not to keep bodies. */
    public NewEvent withoutPayload() {
        return new NewEvent(id, type, created, livemode, apiVersion, account, source, null, traceContext);
    }

    /**
     * A copy carrying {@code value} as its trace context (null: none).
     *
     * @throws IllegalArgumentException as the constructor does for a value too long or with other characters
     * @since 0.2.0
     */
    public NewEvent withTraceContext(@Nullable String value) {
        return new NewEvent(id, type, created, livemode, apiVersion, account, source, payload, value);
    }

    private static void checkTraceContext(String value) {
        if (value.length() > MAX_TRACE_CONTEXT_LENGTH) {
            throw new IllegalArgumentException("trace context is " + value.length() + " characters, more than the "
                    + MAX_TRACE_CONTEXT_LENGTH + " a store keeps");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 || c > 0x7e) && c != '\n') {
                throw new IllegalArgumentException("trace context holds the character U+"
                        + String.format("%04X", (int) c) + " at " + i + "; only printable ASCII and line feeds are kept");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewEvent other
                && id.equals(other.id)
                && type.equals(other.type)
                && created.equals(other.created)
                && livemode == other.livemode
                && Objects.equals(apiVersion, other.apiVersion)
                && Objects.equals(account, other.account)
                && source == other.source
                && Arrays.equals(payload, other.payload)
                && Objects.equals(traceContext, other.traceContext);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type, created, livemode, apiVersion, account, source, traceContext) * 31
                + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "NewEvent[id=" + id + ", type=" + type + ", created=" + created + ", source=" + source + "]";
    }
}
