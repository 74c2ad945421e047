package dev.hookwise.core;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The owners a processor's claims carry: the instance id, a random part per processor, and a
 * counter. Owners differ between processors even when they share an instance id; the attempt in
 * every claim's token fences them apart as well.
 */
final class ClaimOwners {
    private final String prefix;
    private final AtomicLong claims = new AtomicLong();

    ClaimOwners(@org.jspecify.annotations.Nullable String instanceId) {
        String instance = instanceId != null ? instanceId : UUID.randomUUID().toString().substring(0, 8);
        this.prefix = instance + "-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    }

    /** A new owner, unique to this processor. */
    String next() {
        return prefix + claims.incrementAndGet();
    }
}
