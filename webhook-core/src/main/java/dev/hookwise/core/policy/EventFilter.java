package dev.hookwise.core.policy;

import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.internal.EventTypePatterns;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which verified events this endpoint accepts at all. Events that do not pass are acknowledged
 * with 200 {@code ignored_*} (Stripe must not redeliver them) and recorded as ignored.
 *
 * <pre>{@code
 * EventFilter.builder()
 *         .livemode(true)                          // a live endpoint ignores test events
 *         .accounts(Set.of("acct_123"))           // Connect: only these connected accounts
 *         .types(List.of("payment_intent.*", "charge.refunded"))
 *         .build();
 * }</pre>
 *
 * <p>The account allow-list applies to Connect events only; events of the platform account itself
 * (no {@code account}) always pass it.
 */
public final class EventFilter {
    private static final EventFilter ACCEPT_ALL = new EventFilter(null, Set.of(), List.of());

    private final @Nullable Boolean livemode;
    private final Set<String> accounts;
    private final List<String> typePatterns;

    private EventFilter(@Nullable Boolean livemode, Set<String> accounts, List<String> typePatterns) {
        this.livemode = livemode;
        this.accounts = accounts;
        this.typePatterns = typePatterns;
    }

    public static EventFilter acceptAll() {
        return ACCEPT_ALL;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The outcome an event is ignored with, or empty when it passes. */
    public Optional<Outcome> rejection(EventEnvelope event) {
        if (livemode != null && livemode != event.livemode()) {
            return Optional.of(Outcome.IGNORED_LIVEMODE);
        }
        if (!accounts.isEmpty() && event.account().isPresent() && !accounts.contains(event.account().get())) {
            return Optional.of(Outcome.IGNORED_ACCOUNT);
        }
        if (!typePatterns.isEmpty() && typePatterns.stream().noneMatch(p -> EventTypePatterns.matches(p, event.type()))) {
            return Optional.of(Outcome.IGNORED_TYPE);
        }
        return Optional.empty();
    }

    /** Builder for {@link EventFilter}. */
    public static final class Builder {
        private @Nullable Boolean livemode;
        private Set<String> accounts = Set.of();
        private List<String> typePatterns = List.of();

        private Builder() {}

        /** Accept only live ({@code true}) or only test ({@code false}) events. */
        public Builder livemode(boolean value) {
            this.livemode = value;
            return this;
        }

        /** Accept Connect events only from these accounts ({@code acct_…}). */
        public Builder accounts(Set<String> values) {
            for (String a : values) {
                if (a == null || !a.startsWith("acct_")) {
                    throw new HookwiseConfigurationException("account allow-list entry '" + a + "' is not an account id (acct_…)");
                }
            }
            this.accounts = Set.copyOf(values);
            return this;
        }

        /** Accept only these type patterns (exact, {@code prefix.*} or {@code *}). */
        public Builder types(List<String> patterns) {
            List<String> copy = new ArrayList<>();
            for (String p : patterns) {
                copy.add(EventTypePatterns.validate(p));
            }
            this.typePatterns = List.copyOf(copy);
            return this;
        }

        public EventFilter build() {
            return new EventFilter(livemode, accounts, typePatterns);
        }
    }
}
