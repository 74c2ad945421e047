package dev.hookwise.core.signature;

import dev.hookwise.core.HookwiseException;
import dev.hookwise.core.Outcome;

/**
 * The request is not provably from Stripe, or too large to check. The message names what was
 * wrong (never the secret or an expected signature); {@link #kind()} is the typed reason.
 */
public class SignatureException extends HookwiseException {
    private static final long serialVersionUID = 1L;

    /** Why a request was rejected, each with its wire code and outcome. */
    public enum Reason {
        /** No {@code Stripe-Signature} header, or an empty one. */
        MISSING_HEADER(Outcome.SIGNATURE_MISSING),
        /** The header is not {@code t=…,v1=…}: no timestamp, a non-numeric timestamp, a bad pair. */
        MALFORMED_HEADER(Outcome.SIGNATURE_MALFORMED),
        /** The header has no {@code v1} signature (only {@code v0}, say). */
        NO_V1_SIGNATURE(Outcome.SIGNATURE_NO_V1),
        /** No {@code v1} matched any configured secret. */
        NO_MATCH(Outcome.SIGNATURE_NO_MATCH),
        /** The timestamp is older than the tolerance allows. */
        TIMESTAMP_TOO_OLD(Outcome.SIGNATURE_TOO_OLD),
        /** The timestamp is further in the future than the tolerance allows. */
        TIMESTAMP_IN_FUTURE(Outcome.SIGNATURE_IN_FUTURE),
        /** The body is larger than the configured limit; it was not read further. */
        PAYLOAD_TOO_LARGE(Outcome.PAYLOAD_TOO_LARGE);

        private final Outcome outcome;

        Reason(Outcome outcome) {
            this.outcome = outcome;
        }

        /** The outcome, and so the HTTP status and wire code, this reason is answered with. */
        public Outcome outcome() {
            return outcome;
        }
    }

    private final Reason kind;

    public SignatureException(Reason kind, String message) {
        super(kind.outcome().code(), message, null);
        this.kind = kind;
    }

    /** The typed reason. */
    public Reason kind() {
        return kind;
    }
}
