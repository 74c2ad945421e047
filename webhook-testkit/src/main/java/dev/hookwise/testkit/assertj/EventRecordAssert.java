package dev.hookwise.testkit.assertj;

import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions over one {@link EventRecord} of an idempotency store.
 *
 * <pre>{@code
 * assertThat(store).event(id).hasStatus(EventStatus.DEAD).hasErrorContaining("no such order");
 * }</pre>
 */
public final class EventRecordAssert extends AbstractAssert<EventRecordAssert, EventRecord> {

    EventRecordAssert(EventRecord actual) {
        super(actual, EventRecordAssert.class);
    }

    public EventRecordAssert hasStatus(EventStatus expected) {
        isNotNull();
        if (actual.status() != expected) {
            failWithMessage("expected event %s to be %s but it is %s (%s)", actual.id(), expected, actual.status(), actual);
        }
        return this;
    }

    /** The number of claims ({@code attempts}) the store counted. */
    public EventRecordAssert hasAttempts(int expected) {
        isNotNull();
        if (actual.attempts() != expected) {
            failWithMessage("expected event %s to have %s attempt(s) but it has %s (%s)", actual.id(), expected,
                    actual.attempts(), actual);
        }
        return this;
    }

    public EventRecordAssert hasType(String expected) {
        isNotNull();
        if (!actual.type().equals(expected)) {
            failWithMessage("expected event %s to have type %s but it has %s", actual.id(), expected, actual.type());
        }
        return this;
    }

    public EventRecordAssert hasSource(EventSource expected) {
        isNotNull();
        if (actual.source() != expected) {
            failWithMessage("expected event %s to come from %s but it came from %s", actual.id(), expected,
                    actual.source());
        }
        return this;
    }

    /** The last error mentions {@code text}. */
    public EventRecordAssert hasErrorContaining(String text) {
        isNotNull();
        String error = actual.lastError();
        if (error == null || !error.contains(text)) {
            failWithMessage("expected event %s's last error to contain '%s' but it was %s", actual.id(), text, error);
        }
        return this;
    }

    /** The store kept the raw body. */
    public EventRecordAssert hasPayload() {
        isNotNull();
        if (actual.payload() == null) {
            failWithMessage("expected event %s to have its payload kept, but it has none", actual.id());
        }
        return this;
    }
}
