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
 */
public record NewEvent(
        String id,
        String type,
        Instant created,
        boolean livemode,
        @Nullable String apiVersion,
        @Nullable String account,
        EventSource source,
        byte @Nullable [] payload) {

    /**
     * The longest event id or type the pipeline accepts (the envelope parser rejects longer ones with
     * 400); stores size their columns to it.
     */
    public static final int MAX_ID_LENGTH = dev.hookwise.core.internal.EnvelopeParser.MAX_ID_LENGTH;

    // Written out, not compact: javac writes a compact constructor's annotation on an array parameter
    // (payload's @Nullable) with the wrong target, and nullness checkers reading the class file miss it.
    public NewEvent(String id, String type, Instant created, boolean livemode, @Nullable String apiVersion,
            @Nullable String account, EventSource source, byte @Nullable [] payload) {
        this.id = Objects.requireNonNull(id, "id");
        this.type = Objects.requireNonNull(type, "type");
        this.created = Objects.requireNonNull(created, "created");
        this.livemode = livemode;
        this.apiVersion = apiVersion;
        this.account = account;
        this.source = Objects.requireNonNull(source, "source");
        this.payload = payload;
    }

    /** A copy without the payload, for stores configured not to keep bodies. */
    public NewEvent withoutPayload() {
        return new NewEvent(id, type, created, livemode, apiVersion, account, source, null);
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
                && Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type, created, livemode, apiVersion, account, source) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "NewEvent[id=" + id + ", type=" + type + ", created=" + created + ", source=" + source + "]";
    }
}
