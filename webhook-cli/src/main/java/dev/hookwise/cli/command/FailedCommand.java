package dev.hookwise.cli.command;

import dev.hookwise.core.spi.EventStatus;
import picocli.CommandLine.Command;

/** {@code hookwise failed}: events waiting for another attempt. */
@Command(name = "failed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Lists failed events (transient failures the workers retry), with their reasons.",
            "",
            "A failed event is retried by the application's inbox workers at NEXT ATTEMPT.",
            "Oldest first, one page at a time (--limit, --offset).",
            "",
            "Exit codes: 0 none, 1 failed events exist, 2 usage error, 3 event store unreachable."})
public final class FailedCommand extends ListEventsCommand {
    @Override
    EventStatus status() {
        return EventStatus.FAILED;
    }
}
