package dev.hookwise.testkit;

import dev.hookwise.core.Outcome;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of the {@link DeliverySimulator} to deliver an event, and what came back.
 *
 * @param sequence position in the {@link DeliveryLog}, from 1, in the order attempts finished
 * @param eventId the event's id
 * @param eventType the event's type
 * @param copy which copy of the event this is (1 unless the plan sends duplicates)
 * @param attempt 1 for the first attempt of this copy; higher for Stripe-like redeliveries
 * @param at the (virtual) time the attempt was made and signed
 * @param status what happened, in transport terms
 * @param httpStatus the HTTP status answered, or 0 when nothing was answered (dropped, I/O error)
 * @param outcome Hookwise's outcome from the answer, when the answer carried one
 * @param responseBody the answer's body, or null when nothing was answered
 * @param error the I/O error's description for {@link Status#FAILED}, else null
 */
public record Delivery(
        int sequence,
        String eventId,
        String eventType,
        int copy,
        int attempt,
        Instant at,
        Status status,
        int httpStatus,
        @Nullable Outcome outcome,
        @Nullable String responseBody,
        @Nullable String error) {

    /** What happened to an attempt, in transport terms. */
    public enum Status {
        /** Answered 2xx: Stripe considers the event delivered. */
        ACKNOWLEDGED,
        /** Answered with a non-2xx status: Stripe would deliver again later. */
        REJECTED,
        /** No answer: the connection failed or timed out; Stripe would deliver again later. */
        FAILED,
        /** Never sent, by the plan's choice (a delivery lost for good). */
        DROPPED
    }

    public Delivery {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(status, "status");
    }

    /** Whether the endpoint answered 2xx. */
    public boolean acknowledged() {
        return status == Status.ACKNOWLEDGED;
    }

    /** Whether the attempt went out (it was not dropped). */
    public boolean sent() {
        return status != Status.DROPPED;
    }

    /** Whether Stripe would try this copy again: a non-2xx answer or no answer. */
    public boolean needsRedelivery() {
        return status == Status.REJECTED || status == Status.FAILED;
    }

    /** The outcome, if the answer carried one. */
    public Optional<Outcome> outcomeIfAny() {
        return Optional.ofNullable(outcome);
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + eventId + " copy " + copy + " attempt " + attempt + " -> " + status
                + (httpStatus > 0 ? " " + httpStatus : "") + (outcome != null ? " " + outcome.code() : "")
                + (error != null ? " (" + error + ")" : "");
    }
}
