package dev.hookwise.cli.command;

import dev.hookwise.core.spi.EventStatus;
import picocli.CommandLine.Command;

/** {@code hookwise dead}: events that need a person. */
@Command(name = "dead", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Lists dead events (permanent failures, retries exhausted), with their reasons.",
            "",
            "Only a replay runs a dead event again.",
            "Oldest first, one page at a time (--limit, --offset).",
            "",
            "Exit codes: 0 none, 1 dead events exist, 2 usage error, 3 event store unreachable."})
public final class DeadCommand extends ListEventsCommand {
    @Override
    EventStatus status() {
        return EventStatus.DEAD;
    }
}
