package dev.hookwise.testkit.assertj;

import dev.hookwise.core.Outcome;
import dev.hookwise.testkit.Delivery;
import dev.hookwise.testkit.DeliveryLog;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions over a {@link DeliveryLog}. Failure messages print the whole log, one attempt a line.
 *
 * <pre>{@code
 * assertThat(log)
 *         .hasSentDeliveries(9)
 *         .eachEventProcessedOnce()
 *         .hasOutcomeCount(Outcome.DUPLICATE, 6)
 *         .eventHasOutcomes(paid.id(), Outcome.PROCESSED, Outcome.DUPLICATE, Outcome.DUPLICATE);
 * }</pre>
 */
public final class DeliveryLogAssert extends AbstractAssert<DeliveryLogAssert, DeliveryLog> {

    DeliveryLogAssert(DeliveryLog actual) {
        super(actual, DeliveryLogAssert.class);
    }

    /** Exactly {@code expected} attempts, dropped ones included. */
    public DeliveryLogAssert hasDeliveries(int expected) {
        isNotNull();
        if (actual.size() != expected) {
            failWithMessage("expected %s deliveries but the log has %s:%n%s", expected, actual.size(), actual);
        }
        return this;
    }

    /** Exactly {@code expected} attempts that went out. */
    public DeliveryLogAssert hasSentDeliveries(int expected) {
        isNotNull();
        if (actual.sent().size() != expected) {
            failWithMessage("expected %s sent deliveries but %s went out:%n%s", expected, actual.sent().size(), actual);
        }
        return this;
    }

    /** Exactly {@code expected} attempts dropped by the plan. */
    public DeliveryLogAssert hasDropped(int expected) {
        isNotNull();
        if (actual.dropped().size() != expected) {
            failWithMessage("expected %s dropped deliveries but found %s:%n%s", expected, actual.dropped().size(), actual);
        }
        return this;
    }

    /** Exactly {@code expected} attempts answered with {@code outcome}. */
    public DeliveryLogAssert hasOutcomeCount(Outcome outcome, long expected) {
        isNotNull();
        long count = actual.count(outcome);
        if (count != expected) {
            failWithMessage("expected %s deliveries answered %s but found %s:%n%s", expected, outcome.code(), count,
                    actual);
        }
        return this;
    }

    /** Every attempt that went out was answered 2xx. */
    public DeliveryLogAssert allAcknowledged() {
        isNotNull();
        List<Delivery> notAcked = actual.sent().stream().filter(d -> !d.acknowledged()).toList();
        if (!notAcked.isEmpty()) {
            failWithMessage("expected every sent delivery to be acknowledged (2xx) but these were not: %s%nlog:%n%s",
                    notAcked, actual);
        }
        return this;
    }

    /** Every event that was sent at all got at least one 2xx in the end (after redeliveries). */
    public DeliveryLogAssert everyEventAcknowledged() {
        isNotNull();
        Set<String> missing = actual.unacknowledgedEventIds();
        missing.removeIf(id -> actual.forEvent(id).stream().noneMatch(Delivery::sent));
        if (!missing.isEmpty()) {
            failWithMessage("expected every sent event to be acknowledged in the end, but these never were: %s%nlog:%n%s",
                    missing, actual);
        }
        return this;
    }

    /** Each event that was sent was answered {@code processed} exactly once. */
    public DeliveryLogAssert eachEventProcessedOnce() {
        isNotNull();
        for (String id : actual.eventIds()) {
            if (actual.forEvent(id).stream().noneMatch(Delivery::sent)) {
                continue;
            }
            long processed = actual.forEvent(id).stream().filter(d -> d.outcome() == Outcome.PROCESSED).count();
            if (processed != 1) {
                failWithMessage("expected event %s to be processed exactly once but it was processed %s times:%n%s",
                        id, processed, actual);
            }
        }
        return this;
    }

    /** The event was answered {@code processed} exactly once. */
    public DeliveryLogAssert eventProcessedOnce(String eventId) {
        isNotNull();
        long processed = actual.forEvent(eventId).stream().filter(d -> d.outcome() == Outcome.PROCESSED).count();
        if (processed != 1) {
            failWithMessage("expected event %s to be processed exactly once but it was processed %s times:%n%s",
                    eventId, processed, actual);
        }
        return this;
    }

    /** The outcomes answered for the event, in order, are exactly these. */
    public DeliveryLogAssert eventHasOutcomes(String eventId, Outcome... expected) {
        isNotNull();
        List<Outcome> outcomes = actual.outcomes(eventId);
        if (!outcomes.equals(Arrays.asList(expected))) {
            failWithMessage("expected event %s to be answered %s but it was answered %s:%n%s", eventId,
                    Arrays.toString(expected), outcomes, actual);
        }
        return this;
    }

    /** No attempt got a 5xx answer or no answer at all. */
    public DeliveryLogAssert hasNoServerErrors() {
        isNotNull();
        List<Delivery> bad = actual.deliveries().stream()
                .filter(d -> d.status() == Delivery.Status.FAILED || d.httpStatus() >= 500).toList();
        if (!bad.isEmpty()) {
            failWithMessage("expected no 5xx answers or failed connections but found: %s%nlog:%n%s", bad, actual);
        }
        return this;
    }

    /** Exactly {@code expected} redeliveries (attempts after the first of a copy). */
    public DeliveryLogAssert hasRedeliveries(int expected) {
        isNotNull();
        if (actual.redeliveries().size() != expected) {
            failWithMessage("expected %s redeliveries but found %s:%n%s", expected, actual.redeliveries().size(), actual);
        }
        return this;
    }
}
