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
}
