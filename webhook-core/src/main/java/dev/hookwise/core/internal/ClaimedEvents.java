package dev.hookwise.core.internal;

import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.spi.EventRecord;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The processor's paths for events claimed from the inbox, as the inbox worker
 * ({@code dev.hookwise.core.inbox.InboxWorker}) reaches them. They are not API, so
 * {@link WebhookProcessor} does not make them public; it installs an accessor here when its class
 * is initialized, and the worker asks {@link #of} for the paths of its processor.
 */
public interface ClaimedEvents {

    /** A claim owner unique to this processor (and this claim). */
    String newOwner();

    /**
     * Runs one claimed event; failures are rescheduled at {@code nextAttempt.apply(attempt)}, and the
     * event is dead after {@code maxAttempts}.
     *
     * @param groups where the success of plain handlers is completed (the event reported processed
     *     once its group commits), or null to complete it in this thread
     */
    Outcome runClaimed(EventRecord record, int maxAttempts, IntFunction<Instant> nextAttempt,
            @Nullable CompletionGroups groups);

    /** Runs events claimed together for one transaction, as {@link #runClaimed} runs each. */
    void runClaimedTogether(List<EventRecord> records, int maxAttempts, IntFunction<Instant> nextAttempt,
            @Nullable CompletionGroups groups);

    /** A completion group committer (not started) on this processor's store and lease heartbeat. */
    CompletionGroups completionGroups(int maxGroup);

    /**
     * A holder for the events an inbox worker claims ahead of its threads: their leases are renewed
     * with this processor's heartbeats until a thread takes them (see {@link LeaseKeeper#prefetched}).
     *
     * @param servers the worker's handler threads
     * @param onLost told about each held claim found lost
     */
    LeaseKeeper.Prefetched prefetched(java.util.Collection<Thread> servers,
            java.util.function.Consumer<dev.hookwise.core.spi.ClaimToken> onLost);

    /** The claimed-event paths of {@code processor}. */
    static ClaimedEvents of(WebhookProcessor processor) {
        Objects.requireNonNull(processor, "processor");
        // An instance exists, so its class is initialized and has installed the accessor.
        Function<WebhookProcessor, ClaimedEvents> accessor = Access.ACCESSOR.get();
        if (accessor == null) {
            throw new IllegalStateException("WebhookProcessor did not install its claimed-event accessor");
        }
        return accessor.apply(processor);
    }

    /**
     * Called once, by {@link WebhookProcessor}'s static initializer.
     *
     * @throws IllegalStateException when an accessor is installed already
     */
    static void install(Function<WebhookProcessor, ClaimedEvents> accessor) {
        if (!Access.ACCESSOR.compareAndSet(null, Objects.requireNonNull(accessor, "accessor"))) {
            throw new IllegalStateException("the claimed-event accessor is installed already");
        }
    }

    /** Holds the accessor; an interface cannot have a mutable field of its own. */
    final class Access {
        private static final AtomicReference<@Nullable Function<WebhookProcessor, ClaimedEvents>> ACCESSOR =
                new AtomicReference<>();

        private Access() {}
    }
}
