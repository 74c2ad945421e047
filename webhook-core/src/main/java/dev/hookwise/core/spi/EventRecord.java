package dev.hookwise.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One row of the event log, as a store reports it.
 *
 * @param id Stripe's event id
 * @param type event type
 * @param created when Stripe created the event
 * @param livemode live or test mode
 * @param apiVersion API version of the payload, if known
 * @param account connected account, if any
 * @param status current status
 * @param attempts how many times the event was claimed for processing
 * @param owner the owner of the current or last claim
 * @param leaseUntil when the current lease ends
 * @param receivedAt when the store first saw the event
 * @param startedAt when the current or last attempt started
 * @param completedAt when the event reached a final status
 * @param processingTime how long the successful attempt took
 * @param lastError the last failure's description, truncated by the store
 * @param nextAttemptAt when a {@link EventStatus#FAILED} event becomes claimable
 * @param source how the event first reached the pipeline (or the last replay)
 * @param payload the raw body, when the store keeps bodies
 * @param traceContext the delivery's trace context stored by {@link InboxStore#enqueue} (see
 *     {@link NewEvent#traceContext()}), or null: none was recorded, or the store does not keep it
 */
public record EventRecord(
        String id,
        String type,
        Instant created,
        boolean livemode,
        @Nullable String apiVersion,
        @Nullable String account,
        EventStatus status,
        int attempts,
        @Nullable String owner,
        @Nullable Instant leaseUntil,
        Instant receivedAt,
        @Nullable Instant startedAt,
        @Nullable Instant completedAt,
        @Nullable Duration processingTime,
        @Nullable String lastError,
        @Nullable Instant nextAttemptAt,
        EventSource source,
        byte @Nullable [] payload,
        @Nullable String traceContext) {

    /** Checks that the required values are present. */
    public EventRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(source, "source");
    }

    /**
     * A record without a trace context, as every record was before 0.2.0.
     *
     * @param id Stripe's event id
     * @param type event type
     * @param created when Stripe created the event
     * @param livemode live or test mode
     * @param apiVersion API version of the payload, if known
     * @param account connected account, if any
     * @param status current status
     * @param attempts how many times the event was claimed for processing
     * @param owner the owner of the current or last claim
     * @param leaseUntil when the current lease ends
     * @param receivedAt when the store first saw the event
     * @param startedAt when the current or last attempt started
     * @param completedAt when the event reached a final status
     * @param processingTime how long the successful attempt took
     * @param lastError the last failure's description
     * @param nextAttemptAt when a failed event becomes claimable
     * @param source how the event reached the pipeline
     * @param payload the raw body, when the store keeps bodies
     */
    public EventRecord(String id, String type, Instant created, boolean livemode, @Nullable String apiVersion,
            @Nullable String account, EventStatus status, int attempts, @Nullable String owner,
            @Nullable Instant leaseUntil, Instant receivedAt, @Nullable Instant startedAt, @Nullable Instant completedAt,
            @Nullable Duration processingTime, @Nullable String lastError, @Nullable Instant nextAttemptAt,
            EventSource source, byte @Nullable [] payload) {
        this(id, type, created, livemode, apiVersion, account, status, attempts, owner, leaseUntil, receivedAt,
                startedAt, completedAt, processingTime, lastError, nextAttemptAt, source, payload, null);
    }

    /**
     * A builder for a record with the values every record has; the others start empty (null, zero
     * attempts, test mode). Custom stores build records this way rather than by position.
     *
     * <pre>{@code
     * EventRecord queued = EventRecord.builder("evt_1", "invoice.paid", created, EventStatus.QUEUED, now, EventSource.WEBHOOK)
     *         .livemode(true).nextAttemptAt(now).payload(body).build();
     * }</pre>
     *
     * @since 0.2.0
     */
    public static Builder builder(String id, String type, Instant created, EventStatus status, Instant receivedAt,
            EventSource source) {
        return new Builder(id, type, created, status, receivedAt, source);
    }

    /**
     * A builder for the record of a new event, received at {@code receivedAt}: id, type, created,
     * livemode, API version, account, source, payload and trace context come from {@code event}.
     *
     * @since 0.2.0
     */
    public static Builder builder(NewEvent event, EventStatus status, Instant receivedAt) {
        return new Builder(event.id(), event.type(), event.created(), status, receivedAt, event.source())
                .livemode(event.livemode()).apiVersion(event.apiVersion()).account(event.account())
                .payload(event.payload()).traceContext(event.traceContext());
    }

    /**
     * A builder that starts from this record, for a store that changes a few of its values.
     *
     * @since 0.2.0
     */
    public Builder toBuilder() {
        return new Builder(id, type, created, status, receivedAt, source).livemode(livemode).apiVersion(apiVersion)
                .account(account).attempts(attempts).owner(owner).leaseUntil(leaseUntil).startedAt(startedAt)
                .completedAt(completedAt).processingTime(processingTime).lastError(lastError)
                .nextAttemptAt(nextAttemptAt).payload(payload).traceContext(traceContext);
    }

    /** The raw body, if the store kept it. */
    public Optional<byte[]> payloadBytes() {
        return Optional.ofNullable(payload).map(byte[]::clone);
    }

    /** The last error, if any. */
    public Optional<String> error() {
        return Optional.ofNullable(lastError);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventRecord r
                && id.equals(r.id) && type.equals(r.type) && created.equals(r.created)
                && livemode == r.livemode && Objects.equals(apiVersion, r.apiVersion)
                && Objects.equals(account, r.account) && status == r.status && attempts == r.attempts
                && Objects.equals(owner, r.owner) && Objects.equals(leaseUntil, r.leaseUntil)
                && receivedAt.equals(r.receivedAt) && Objects.equals(startedAt, r.startedAt)
                && Objects.equals(completedAt, r.completedAt) && Objects.equals(processingTime, r.processingTime)
                && Objects.equals(lastError, r.lastError) && Objects.equals(nextAttemptAt, r.nextAttemptAt)
                && source == r.source && Arrays.equals(payload, r.payload)
                && Objects.equals(traceContext, r.traceContext);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, status, attempts, owner, leaseUntil);
    }

    @Override
    public String toString() {
        return "EventRecord[id=" + id + ", type=" + type + ", status=" + status + ", attempts=" + attempts
                + ", owner=" + owner + ", leaseUntil=" + leaseUntil + ", nextAttemptAt=" + nextAttemptAt
                + ", source=" + source + "]";
    }

    /**
     * Builder for {@link EventRecord}, named after its components; see {@link EventRecord#builder}.
     *
     * @since 0.2.0
     */
    public static final class Builder {
        private final String id;
        private final String type;
        private final Instant created;
        private boolean livemode;
        private @Nullable String apiVersion;
        private @Nullable String account;
        private EventStatus status;
        private int attempts;
        private @Nullable String owner;
        private @Nullable Instant leaseUntil;
        private Instant receivedAt;
        private @Nullable Instant startedAt;
        private @Nullable Instant completedAt;
        private @Nullable Duration processingTime;
        private @Nullable String lastError;
        private @Nullable Instant nextAttemptAt;
        private EventSource source;
        private byte @Nullable [] payload;
        private @Nullable String traceContext;

        private Builder(String id, String type, Instant created, EventStatus status, Instant receivedAt,
                EventSource source) {
            this.id = Objects.requireNonNull(id, "id");
            this.type = Objects.requireNonNull(type, "type");
            this.created = Objects.requireNonNull(created, "created");
            this.status = Objects.requireNonNull(status, "status");
            this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
            this.source = Objects.requireNonNull(source, "source");
        }

        /** Live or test mode (default test). */
        public Builder livemode(boolean value) {
            this.livemode = value;
            return this;
        }

        /** API version of the payload, or null. */
        public Builder apiVersion(@Nullable String value) {
            this.apiVersion = value;
            return this;
        }

        /** Connected account, or null. */
        public Builder account(@Nullable String value) {
            this.account = value;
            return this;
        }

        /** Current status. */
        public Builder status(EventStatus value) {
            this.status = Objects.requireNonNull(value, "status");
            return this;
        }

        /** How many times the event was claimed (default 0). */
        public Builder attempts(int value) {
            this.attempts = value;
            return this;
        }

        /** The owner of the current or last claim, or null. */
        public Builder owner(@Nullable String value) {
            this.owner = value;
            return this;
        }

        /** When the current lease ends, or null. */
        public Builder leaseUntil(@Nullable Instant value) {
            this.leaseUntil = value;
            return this;
        }

        /** When the store first saw the event. */
        public Builder receivedAt(Instant value) {
            this.receivedAt = Objects.requireNonNull(value, "receivedAt");
            return this;
        }

        /** When the current or last attempt started, or null. */
        public Builder startedAt(@Nullable Instant value) {
            this.startedAt = value;
            return this;
        }

        /** When the event reached a final status, or null. */
        public Builder completedAt(@Nullable Instant value) {
            this.completedAt = value;
            return this;
        }

        /** How long the successful attempt took, or null. */
        public Builder processingTime(@Nullable Duration value) {
            this.processingTime = value;
            return this;
        }

        /** The last failure's description, or null. */
        public Builder lastError(@Nullable String value) {
            this.lastError = value;
            return this;
        }

        /** When a failed or queued event becomes claimable, or null. */
        public Builder nextAttemptAt(@Nullable Instant value) {
            this.nextAttemptAt = value;
            return this;
        }

        /** How the event reached the pipeline. */
        public Builder source(EventSource value) {
            this.source = Objects.requireNonNull(value, "source");
            return this;
        }

        /** The raw body, or null when the store does not keep it. */
        public Builder payload(byte @Nullable [] value) {
            this.payload = value;
            return this;
        }

        /** The delivery's trace context, or null. */
        public Builder traceContext(@Nullable String value) {
            this.traceContext = value;
            return this;
        }

        /** The record. */
        public EventRecord build() {
            return new EventRecord(id, type, created, livemode, apiVersion, account, status, attempts, owner,
                    leaseUntil, receivedAt, startedAt, completedAt, processingTime, lastError, nextAttemptAt, source,
                    payload, traceContext);
        }
    }
}
