package dev.hookwise.core;

import dev.hookwise.core.spi.Backlog;

/**
 * Every way the pipeline can answer a delivery: the HTTP status and the stable wire code that
 * appears as {@code "outcome"} in the response body.
 *
 * <p>The mapping follows one rule: 2xx means "recorded, do not send again"; 4xx means "your request
 * is wrong" (or, for 409/422, "send again later"); 5xx only when the fault is ours and Stripe
 * should redeliver.
 */
public enum Outcome {
    /** Every handler succeeded. */
    PROCESSED(200, "processed"),
    /** The event was processed (or finally recorded) before. */
    DUPLICATE(200, "duplicate"),
    /** No handler is registered for the type; recorded as ignored. */
    IGNORED(200, "ignored"),
    /** Filtered out: livemode does not match the endpoint's mode. */
    IGNORED_LIVEMODE(200, "ignored_livemode"),
    /** Filtered out: the connected account is not on the allow-list. */
    IGNORED_ACCOUNT(200, "ignored_account"),
    /** Filtered out: the type is not on the allow-list. */
    IGNORED_TYPE(200, "ignored_type"),
    /** Older than the event-age policy; recorded as skipped for recovery. */
    SKIPPED_STALE(200, "skipped_stale"),
    /** A handler failed permanently; recorded as dead, replayable. */
    FAILED_PERMANENT(200, "failed_permanent"),
    /** The event failed before and is scheduled for a later attempt by the worker. */
    SCHEDULED(200, "scheduled"),
    /** Accepted into the inbox; a worker processes it (asynchronous mode). */
    QUEUED(200, "queued"),
    /** Another request or worker holds the event right now; Stripe should retry later. */
    IN_PROGRESS(409, "in_progress"),
    /** A prerequisite is missing (the event came early); Stripe should redeliver later. */
    RETRY_LATER(422, "retry_later"),
    /** No {@code Stripe-Signature} header. */
    SIGNATURE_MISSING(400, "signature_missing"),
    /** The {@code Stripe-Signature} header cannot be parsed. */
    SIGNATURE_MALFORMED(400, "signature_malformed"),
    /** The header carries no {@code v1} signature. */
    SIGNATURE_NO_V1(400, "signature_no_v1"),
    /** No signature matched any configured secret. */
    SIGNATURE_NO_MATCH(400, "signature_no_match"),
    /** The signature timestamp is older than the tolerance. */
    SIGNATURE_TOO_OLD(400, "signature_too_old"),
    /** The signature timestamp is too far in the future. */
    SIGNATURE_IN_FUTURE(400, "signature_in_future"),
    /** Signed, but not a readable Stripe event. */
    MALFORMED_EVENT(400, "malformed_event"),
    /** The source address is not on the allow-list. */
    FORBIDDEN_SOURCE(403, "forbidden_source"),
    /** The body exceeds the size limit. */
    PAYLOAD_TOO_LARGE(413, "payload_too_large"),
    /** A handler kept failing transiently after in-process retries; recorded, Stripe should retry. */
    FAILED_TRANSIENT(500, "failed_transient"),
    /** The store is unreachable; nothing was acknowledged, Stripe should retry. */
    STORE_UNAVAILABLE(503, "store_unavailable"),
    /** Backlog or in-flight limit reached; Stripe should retry. */
    OVERLOADED(503, "overloaded");

    private final int httpStatus;
    private final String code;

    Outcome(int httpStatus, String code) {
        this.httpStatus = httpStatus;
        this.code = code;
    }

    /** The HTTP status this outcome is answered with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The stable snake_case code written as {@code "outcome"} in the body. */
    public String code() {
        return code;
    }

    /** Whether Stripe treats the answer as delivered (2xx). */
    public boolean isAcknowledged() {
        return httpStatus >= 200 && httpStatus < 300;
    }
}
