package dev.hookwise.core;

import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventArguments;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.UpdateResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.jspecify.annotations.Nullable;

/**
 * An {@link dev.hookwise.core.spi.IdempotencyStore} (and {@link InboxStore}) in a {@link ConcurrentHashMap}:
 * for tests, demos and single-instance applications that accept losing the log on restart. Every
 * operation is one atomic {@code compute} on the event's entry, so concurrent claims of one event
 * never both win. It is not {@linkplain #durable() durable}: a processor in asynchronous mode
 * refuses it unless {@code allowInMemoryInbox(true)} says the loss on restart is accepted.
 *
 * <p>{@link #claimDue} does not walk the log: events that can become due (queued, failed, in
 * progress) are also kept in two sorted sets by the time they are due, updated inside the same
 * {@code compute} that changes the event. A poll costs O(k log n) for the k events it looks at,
 * however many completed events the map holds.
 *
 * <pre>{@code
 * IdempotencyStore store = InMemoryIdempotencyStore.create();
 * }</pre>
 */
public final class InMemoryIdempotencyStore implements InboxStore {

    /** Errors longer than this are truncated, as a database column would. */
    public static final int MAX_ERROR_LENGTH = 4000;

    private static final java.util.Set<EventStatus> REPLAYABLE = java.util.EnumSet.of(
            EventStatus.FAILED, EventStatus.DEAD, EventStatus.SKIPPED_STALE, EventStatus.IGNORED);

    private final ConcurrentMap<String, EventRecord> events = new ConcurrentHashMap<>();
    // Index by due time. QUEUED events are due whatever the clock says, so they have a set of their
    // own, in the order they became due; FAILED and PROCESSING ones wait for their time.
    private final ConcurrentSkipListSet<Due> queued = new ConcurrentSkipListSet<>();
    private final ConcurrentSkipListSet<Due> waiting = new ConcurrentSkipListSet<>();
    private final Clock clock;

    private InMemoryIdempotencyStore(Clock clock) {
        this.clock = clock;
    }

    public static InMemoryIdempotencyStore create() {
        return new InMemoryIdempotencyStore(Clock.systemUTC());
    }

    /** A store whose leases and timestamps follow {@code clock}. */
    public static InMemoryIdempotencyStore create(Clock clock) {
        return new InMemoryIdempotencyStore(Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public ClaimResult claim(NewEvent event, String owner, Duration leaseDuration) {
        Objects.requireNonNull(event, "event");
        EventArguments.checkOwner(owner);
        EventArguments.checkLease(leaseDuration);
        EventArguments.checkEvent(event);
        Instant now = clock.instant();
        ClaimResult[] result = new ClaimResult[1];
        events.compute(event.id(), (id, current) -> {
            if (current == null) {
                result[0] = ClaimResult.claimed(1);
                return indexed(null, EventRecord.builder(event, EventStatus.PROCESSING, now).traceContext(null)
                        .attempts(1).owner(owner).leaseUntil(now.plus(leaseDuration)).startedAt(now).build());
            }
            boolean takeover = switch (current.status()) {
                case QUEUED -> true;
                case PROCESSING -> current.leaseUntil() == null || !current.leaseUntil().isAfter(now);
                case FAILED -> current.nextAttemptAt() == null || !current.nextAttemptAt().isAfter(now);
                default -> false;
            };
            if (!takeover) {
                result[0] = switch (current.status()) {
                    case PROCESSING -> ClaimResult.inProgress(current.attempts());
                    // not taken over: nextAttemptAt is set and still ahead (the switch above)
                    case FAILED -> ClaimResult.retryLater(current.attempts(), Objects.requireNonNull(current.nextAttemptAt()));
                    default -> ClaimResult.alreadyCompleted(current.attempts());
                };
                return current;
            }
            int attempt = current.attempts() + 1;
            result[0] = ClaimResult.claimed(attempt);
            return indexed(current, with(current, EventStatus.PROCESSING, attempt, owner, now.plus(leaseDuration), now,
                    null, null, current.lastError(), null));
        });
        return result[0];
    }

    @Override
    public Optional<EventRecord> claimForReplay(String eventId, String owner, Duration leaseDuration, EventSource source) {
        Objects.requireNonNull(eventId, "eventId");
        EventArguments.checkOwner(owner);
        Objects.requireNonNull(source, "source");
        EventArguments.checkLease(leaseDuration);
        Instant now = clock.instant();
        EventRecord[] claimed = new EventRecord[1];
        events.computeIfPresent(eventId, (id, current) -> {
            boolean expiredClaim = current.status() == EventStatus.PROCESSING
                    && (current.leaseUntil() == null || !current.leaseUntil().isAfter(now));
            if (!REPLAYABLE.contains(current.status()) && !expiredClaim) {
                return current;
            }
            claimed[0] = current.toBuilder().status(EventStatus.PROCESSING).attempts(1).owner(owner)
                    .leaseUntil(now.plus(leaseDuration)).startedAt(now).completedAt(null).processingTime(null)
                    .nextAttemptAt(null).source(source).build();
            return indexed(current, claimed[0]);
        });
        return Optional.ofNullable(claimed[0]);
    }

    @Override
    public UpdateResult complete(ClaimToken claim, Duration processingTime) {
        Objects.requireNonNull(processingTime, "processingTime");
        return update(claim, current -> with(current, EventStatus.COMPLETED, current.attempts(), current.owner(),
                null, current.startedAt(), clock.instant(), processingTime, current.lastError(), null));
    }

    @Override
    public UpdateResult retryAt(ClaimToken claim, String error, Instant nextAttemptAt) {
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        String truncated = truncate(error == null ? "(no description)" : error);
        return update(claim, current -> with(current, EventStatus.FAILED, current.attempts(), current.owner(), null,
                current.startedAt(), null, null, truncated, nextAttemptAt));
    }

    @Override
    public UpdateResult markDead(ClaimToken claim, String error) {
        String truncated = truncate(error == null ? "(no description)" : error);
        return update(claim, current -> with(current, EventStatus.DEAD, current.attempts(), current.owner(), null,
                current.startedAt(), clock.instant(), null, truncated, null));
    }

    @Override
    public UpdateResult markIgnored(ClaimToken claim, String reason) {
        String truncated = truncate(reason == null ? "(no reason)" : reason);
        return update(claim, current -> with(current, EventStatus.IGNORED, current.attempts(), current.owner(), null,
                current.startedAt(), clock.instant(), null, truncated, null));
    }

    @Override
    public int heartbeat(Collection<ClaimToken> claims, Duration leaseDuration) {
        EventArguments.checkLease(leaseDuration);
        Instant leaseUntil = clock.instant().plus(leaseDuration);
        int extended = 0;
        for (ClaimToken claim : claims) {
            if (update(claim, current -> with(current, current.status(), current.attempts(), current.owner(), leaseUntil,
                    current.startedAt(), null, null, current.lastError(), null)) == UpdateResult.APPLIED) {
                extended++;
            }
        }
        return extended;
    }

    /** Applies {@code change} only while {@code claim}'s token holds the event: PROCESSING, same owner, same attempt. */
    private UpdateResult update(ClaimToken claim, java.util.function.UnaryOperator<EventRecord> change) {
        Objects.requireNonNull(claim, "claim");
        UpdateResult[] result = {UpdateResult.LEASE_LOST};
        events.computeIfPresent(claim.eventId(), (id, current) -> {
            if (current.status() != EventStatus.PROCESSING || !claim.owner().equals(current.owner())
                    || current.attempts() != claim.attempt()) {
                return current;
            }
            result[0] = UpdateResult.APPLIED;
            return indexed(current, change.apply(current));
        });
        return result[0];
    }

    @Override
    public boolean recordFinal(NewEvent event, EventStatus status, String reason) {
        if (status != EventStatus.IGNORED && status != EventStatus.SKIPPED_STALE) {
            throw new IllegalArgumentException("recordFinal takes IGNORED or SKIPPED_STALE, not " + status);
        }
        EventArguments.checkEvent(event);
        Instant now = clock.instant();
        EventRecord inserted = EventRecord.builder(event, status, now).traceContext(null).completedAt(now)
                .lastError(truncate(reason)).build();
        return events.putIfAbsent(event.id(), inserted) == null;
    }

    @Override
    public Optional<EventRecord> find(String eventId) {
        return Optional.ofNullable(events.get(eventId));
    }

    @Override
    public List<EventRecord> search(EventQuery query) {
        return events.values().stream()
                .filter(query::matches)
                .sorted(Comparator.comparing(EventRecord::created).thenComparing(EventRecord::id))
                .skip(query.offset())
                .limit(query.limit())
                .toList();
    }

    @Override
    public boolean resetForReplay(String eventId, EventSource source) {
        boolean[] reset = {false};
        events.computeIfPresent(eventId, (id, current) -> {
            if (current.status() == EventStatus.PROCESSING || current.status() == EventStatus.COMPLETED
                    || current.status() == EventStatus.QUEUED) {
                return current;
            }
            reset[0] = true;
            return indexed(current, current.toBuilder().status(EventStatus.QUEUED).attempts(0).owner(null)
                    .leaseUntil(null).completedAt(null).processingTime(null).nextAttemptAt(clock.instant())
                    .source(source).build());
        });
        return reset[0];
    }

    @Override
    public boolean enqueue(NewEvent event) {
        EventArguments.checkEvent(event);
        Instant now = clock.instant();
        EventRecord queued = EventRecord.builder(event, EventStatus.QUEUED, now).nextAttemptAt(now).build();
        boolean[] inserted = {false};
        events.computeIfAbsent(event.id(), id -> {
            inserted[0] = true;
            return indexed(null, queued);
        });
        return inserted[0];
    }

    @Override
    public List<EventRecord> claimDue(String owner, Duration leaseDuration, int limit) {
        EventArguments.checkOwner(owner);
        EventArguments.checkLease(leaseDuration);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, but was " + limit);
        }
        Instant now = clock.instant();
        // The due events oldest first: the queued ones and the waiting ones whose time has come,
        // merged. A candidate another worker took meanwhile fails the check in compute and the next
        // one is tried; what this call claims moves to a lease in the future, past where it stops.
        java.util.Iterator<Due> fromQueued = queued.iterator();
        java.util.Iterator<Due> fromWaiting = waiting.iterator();
        Due nextQueued = fromQueued.hasNext() ? fromQueued.next() : null;
        Due nextWaiting = fromWaiting.hasNext() ? fromWaiting.next() : null;
        List<EventRecord> claimed = new java.util.ArrayList<>(Math.min(limit, 64));
        while (claimed.size() < limit) {
            if (nextWaiting != null && nextWaiting.at().isAfter(now)) {
                nextWaiting = null; // sorted by time: nothing later in the set is due either
            }
            Due candidate;
            if (nextQueued != null && (nextWaiting == null || nextQueued.compareTo(nextWaiting) < 0)) {
                candidate = nextQueued;
                nextQueued = fromQueued.hasNext() ? fromQueued.next() : null;
            } else if (nextWaiting != null) {
                candidate = nextWaiting;
                nextWaiting = fromWaiting.hasNext() ? fromWaiting.next() : null;
            } else {
                break;
            }
            EventRecord[] won = new EventRecord[1];
            events.computeIfPresent(candidate.id(), (id, current) -> {
                if (!isDue(current, now)) {
                    return current; // another worker took it between the index and here
                }
                won[0] = with(current, EventStatus.PROCESSING, current.attempts() + 1, owner, now.plus(leaseDuration),
                        now, null, null, current.lastError(), null);
                return indexed(current, won[0]);
            });
            if (won[0] != null) {
                claimed.add(won[0]);
            }
        }
        return claimed;
    }

    private static boolean isDue(EventRecord r, Instant now) {
        return switch (r.status()) {
            case QUEUED -> true;
            case FAILED -> r.nextAttemptAt() == null || !r.nextAttemptAt().isAfter(now);
            case PROCESSING -> r.leaseUntil() == null || !r.leaseUntil().isAfter(now);
            default -> false;
        };
    }

    private static Instant dueAt(EventRecord r) {
        if (r.status() == EventStatus.PROCESSING && r.leaseUntil() != null) {
            return r.leaseUntil();
        }
        return r.nextAttemptAt() != null ? r.nextAttemptAt() : r.receivedAt();
    }

    @Override
    public UpdateResult release(ClaimToken claim) {
        Instant now = clock.instant();
        return update(claim, current -> with(current, EventStatus.QUEUED, Math.max(0, current.attempts() - 1),
                null, null, current.startedAt(), null, null, current.lastError(), now));
    }

    @Override
    public int purge(Instant finishedBefore, int limit) {
        List<String> old = events.values().stream()
                .filter(r -> (r.status() == EventStatus.COMPLETED || r.status() == EventStatus.IGNORED)
                        && r.completedAt() != null && r.completedAt().isBefore(finishedBefore))
                .map(EventRecord::id)
                .limit(limit)
                .toList();
        int removed = 0;
        for (String id : old) {
            EventRecord r = events.get(id);
            if (r != null && (r.status() == EventStatus.COMPLETED || r.status() == EventStatus.IGNORED)
                    && events.remove(id, r)) {
                removed++;
            }
        }
        return removed;
    }

    @Override
    public dev.hookwise.core.spi.Backlog backlog() {
        long pending = 0;
        long processing = 0;
        Instant oldest = null;
        for (EventRecord r : events.values()) {
            if (r.status() == EventStatus.QUEUED || r.status() == EventStatus.FAILED) {
                pending++;
                if (oldest == null || r.receivedAt().isBefore(oldest)) {
                    oldest = r.receivedAt();
                }
            } else if (r.status() == EventStatus.PROCESSING) {
                processing++;
            }
        }
        return new dev.hookwise.core.spi.Backlog(pending, processing, oldest);
    }

    /** False: everything held is lost when the process ends. */
    @Override
    public boolean durable() {
        return false;
    }

    /** Number of events held (for tests and the quickstart). */
    public int size() {
        return events.size();
    }

    /**
     * Moves {@code after}'s entry in the due index from where {@code before} had it; called inside
     * the {@code compute} that replaces one with the other, so the index never disagrees with the
     * map for longer than that call.
     *
     * @return {@code after}
     */
    private EventRecord indexed(@Nullable EventRecord before, EventRecord after) {
        if (before != null) {
            Due old = dueKey(before);
            if (old != null) {
                (before.status() == EventStatus.QUEUED ? queued : waiting).remove(old);
            }
        }
        Due key = dueKey(after);
        if (key != null) {
            (after.status() == EventStatus.QUEUED ? queued : waiting).add(key);
        }
        return after;
    }

    /** Where {@code r} sits in the due index, or null when its status can never become due. */
    private static @Nullable Due dueKey(EventRecord r) {
        return switch (r.status()) {
            case QUEUED, FAILED, PROCESSING -> new Due(dueAt(r), r.id());
            default -> null;
        };
    }

    /** An entry of the due index: when the event is due, then its id. */
    private record Due(Instant at, String id) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int byTime = at.compareTo(o.at);
            return byTime != 0 ? byTime : id.compareTo(o.id);
        }
    }

    private static EventRecord with(EventRecord r, EventStatus status, int attempts, @Nullable String owner,
            @Nullable Instant leaseUntil, @Nullable Instant startedAt, @Nullable Instant completedAt,
            @Nullable Duration processingTime, @Nullable String lastError, @Nullable Instant nextAttemptAt) {
        return r.toBuilder().status(status).attempts(attempts).owner(owner).leaseUntil(leaseUntil)
                .startedAt(startedAt).completedAt(completedAt).processingTime(processingTime).lastError(lastError)
                .nextAttemptAt(nextAttemptAt).build();
    }

    private static @Nullable String truncate(@Nullable String error) {
        if (error == null) {
            return null;
        }
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }
}
