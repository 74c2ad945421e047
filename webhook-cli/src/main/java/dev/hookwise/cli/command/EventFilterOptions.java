package dev.hookwise.cli.command;

import dev.hookwise.cli.internal.TimeArgs;
import dev.hookwise.core.spi.EventQuery;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The event filter options that {@code failed}, {@code dead} and {@code replay} share, as a picocli
 * mixin: one declaration, one way of turning them into an {@link EventQuery}.
 */
final class EventFilterOptions {

    @Option(names = "--type", paramLabel = "<type>", description = "only this event type, e.g. invoice.paid")
    @Nullable String type;

    @Option(names = "--type-prefix", paramLabel = "<prefix>", description = "only types starting with this, e.g. invoice.")
    @Nullable String typePrefix;

    @Option(names = "--since", paramLabel = "<time>", description = "only events created at or after: a time, a date or an age (24h)")
    @Nullable String since;

    @Option(names = "--error-contains", paramLabel = "<text>", description = "only events whose last error contains this")
    @Nullable String errorContains;

    /** Whether any of these options was given. */
    boolean any() {
        return type != null || typePrefix != null || since != null || errorContains != null;
    }

    /** Adds the given options to {@code query}; {@code now} resolves ages such as {@code 24h}. */
    EventQuery.Builder applyTo(EventQuery.Builder query, Instant now) {
        if (type != null) {
            query.type(type);
        }
        if (typePrefix != null) {
            query.typePrefix(typePrefix);
        }
        if (since != null) {
            query.createdFrom(TimeArgs.instant(since, now, "--since"));
        }
        if (errorContains != null) {
            query.errorContains(errorContains);
        }
        return query;
    }
}
