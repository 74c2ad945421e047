package dev.hookwise.reliability;

import com.stripe.model.PaymentIntent;
import dev.hookwise.core.EventContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The handler faults of scenario 4, chosen by the event's {@code metadata.fault}: {@code slow} runs
 * three leases long (its lease must be renewed, never taken over), {@code hung} waits until it is
 * interrupted (the handler timeout), {@code error} throws an {@link Error}, {@code heap} holds most
 * of the heap for a moment. Any other event runs normally.
 */
final class Faults {
    static final List<String> KINDS = List.of("slow", "hung", "error", "heap");

    private Faults() {}

    static void act(EventContext ctx, Duration lease) throws InterruptedException {
        String fault = ctx.dataObject(PaymentIntent.class).getMetadata().get("fault");
        if (fault == null) {
            return;
        }
        switch (fault) {
            case "slow" -> Thread.sleep(lease.multipliedBy(3).toMillis());
            case "hung" -> Thread.sleep(Long.MAX_VALUE); // only the handler timeout's interrupt ends it
            case "error" -> throw new AssertionError("poison event " + ctx.eventId() + " fails with an Error");
            case "heap" -> holdMostOfTheHeap();
            default -> { }
        }
    }

    /** Allocates until about 85 % of the heap is in use, holds it for half a second, lets it go. */
    private static void holdMostOfTheHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        List<byte[]> held = new ArrayList<>();
        while (rt.totalMemory() - rt.freeMemory() < rt.maxMemory() * 85 / 100 && held.size() < 10_000) {
            held.add(new byte[1 << 20]);
        }
        Thread.sleep(500);
        held.clear();
    }
}
