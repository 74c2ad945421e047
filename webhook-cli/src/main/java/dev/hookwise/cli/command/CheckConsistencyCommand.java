package dev.hookwise.cli.command;

import dev.hookwise.cli.CliException;
import dev.hookwise.cli.ExitCode;
import dev.hookwise.cli.internal.CountingStore;
import dev.hookwise.cli.internal.Extensions;
import dev.hookwise.cli.internal.JsonOut;
import dev.hookwise.cli.internal.Progress;
import dev.hookwise.cli.internal.Table;
import dev.hookwise.cli.internal.TimeArgs;
import dev.hookwise.cli.spi.HookwiseCliExtension;
import dev.hookwise.core.recovery.ConsistencyCheck;
import dev.hookwise.core.recovery.ConsistencyReport;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.state.StateStore;
import dev.hookwise.core.state.StateMachine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hookwise check-consistency}: the core's {@link ConsistencyCheck} for every state machine
 * the application's extension declares.
 */
@Command(name = "check-consistency", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Finds completed events whose effect on an entity is missing.",
            "",
            "For each completed event a state rule",
            "applies to, the entity's history (<prefix>state_history) must hold it as applied, already in target",
            "or stale. The state machines come from the application's HookwiseCliExtension (ServiceLoader): put",
            "its jar on the class path (HOOKWISE_CLASSPATH=app.jar hookwise check-consistency).",
            "",
            "Exit codes: 0 consistent, 1 inconsistent events found, 2 usage error, 3 event store unreachable,",
            "4 no state machines on the class path."})
public final class CheckConsistencyCommand extends CliCommand {

    @Option(names = "--from", defaultValue = "24h", paramLabel = "<time>",
            description = "events created from: a time, a date or an age (default: ${DEFAULT-VALUE})")
    String from;

    @Option(names = "--to", paramLabel = "<time>", description = "events created before (default: now)")
    @Nullable String to;

    @Option(names = "--entity", paramLabel = "<type>", split = ",", description = "only these entity types (e.g. order)")
    List<String> entities = new ArrayList<>();

    @Override
    int run() {
        Window window = window(from, to);
        Instant start = window.start();
        Instant end = window.end();
        List<StateMachine<?>> machines = new ArrayList<>();
        for (HookwiseCliExtension e : Extensions.load(Thread.currentThread().getContextClassLoader())) {
            machines.addAll(e.stateMachines());
        }
        if (machines.isEmpty()) {
            throw Extensions.missing("check-consistency", "state machines (HookwiseCliExtension.stateMachines)");
        }
        if (!entities.isEmpty()) {
            List<String> known = machines.stream().map(StateMachine::entityType).toList();
            for (String e : entities) {
                if (!known.contains(e)) {
                    throw new CliException(ExitCode.USAGE, "--entity " + e + " names no state machine; the application"
                            + " declares: " + String.join(", ", known));
                }
            }
            machines.removeIf(m -> !entities.contains(m.entityType()));
        }
        StateStore states = root.eventLog().stateStore();
        Map<String, ConsistencyReport> reports = new LinkedHashMap<>();
        try (Progress progress = root.progress("reading the event log")) {
            IdempotencyStore events = new CountingStore(root.eventLog().store(), progress);
            for (StateMachine<?> m : machines) {
                reports.put(m.entityType(), check(m, states, events, start, end));
            }
        }
        int inconsistent = reports.values().stream().mapToInt(ConsistencyReport::inconsistent).sum();
        if (json()) {
            Map<String, @Nullable Object> o = JsonOut.object();
            o.put("from", JsonOut.time(start));
            o.put("to", JsonOut.time(end));
            o.put("inconsistent", inconsistent);
            List<Map<String, @Nullable Object>> list = new ArrayList<>();
            reports.forEach((entity, r) -> {
                Map<String, @Nullable Object> m = JsonOut.object();
                m.put("entity_type", entity);
                m.put("checked", r.checked());
                m.put("inconsistent", r.inconsistent());
                List<Map<String, @Nullable Object>> items = new ArrayList<>();
                for (ConsistencyReport.Item i : r.items()) {
                    Map<String, @Nullable Object> item = JsonOut.object();
                    item.put("event_id", i.eventId());
                    item.put("event_type", i.eventType());
                    item.put("entity_id", i.entityId());
                    item.put("expected_state", i.expectedState());
                    item.put("finding", i.finding());
                    items.add(item);
                }
                m.put("items", items);
                list.add(m);
            });
            o.put("entities", list);
            JsonOut.print(out(), o);
        } else {
            out().println("completed events created " + TimeArgs.show(start) + " .. " + TimeArgs.show(end));
            out().println();
            Table summary = Table.of("ENTITY", "EVENTS CHECKED", "INCONSISTENT");
            reports.forEach((entity, r) -> summary.row(entity, r.checked(), r.inconsistent()));
            summary.print(out());
            if (inconsistent > 0) {
                out().println();
                Table t = Table.of("EVENT", "TYPE", "ENTITY", "EXPECTED", "FINDING");
                reports.forEach((entity, r) -> r.items().forEach(i -> t.row(i.eventId(), i.eventType(),
                        entity + " " + i.entityId(), i.expectedState(), i.finding())));
                t.print(out());
            }
        }
        return inconsistent > 0 ? ExitCode.PROBLEMS : ExitCode.OK;
    }

    private static <S extends Enum<S>> ConsistencyReport check(StateMachine<S> machine, StateStore states,
            IdempotencyStore events, Instant from, Instant to) {
        return ConsistencyCheck.of(machine, states, events).check(from, to);
    }
}
