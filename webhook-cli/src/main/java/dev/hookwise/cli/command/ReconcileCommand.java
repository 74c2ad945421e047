package dev.hookwise.cli.command;

import dev.hookwise.cli.CliException;
import dev.hookwise.cli.ExitCode;
import dev.hookwise.cli.internal.EventLog;
import dev.hookwise.cli.internal.Extensions;
import dev.hookwise.cli.internal.JsonOut;
import dev.hookwise.cli.internal.Progress;
import dev.hookwise.cli.internal.ReconcileContext;
import dev.hookwise.cli.internal.Stripes;
import dev.hookwise.cli.internal.Table;
import dev.hookwise.cli.internal.TimeArgs;
import dev.hookwise.cli.spi.HookwiseCliExtension;
import dev.hookwise.core.StripeApiException;
import dev.hookwise.core.spi.ReconciliationReport;
import dev.hookwise.core.spi.ReconciliationReport.Action;
import dev.hookwise.core.spi.Reconciler;
import dev.hookwise.core.spi.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hookwise reconcile}: runs the application's {@link Reconciler}s (from its
 * {@link HookwiseCliExtension}) twice: once writing nothing, to show the drift and the corrections,
 * then, after the operator confirmed, for real.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Compares local state with Stripe's through the application's reconcilers; corrects drift.",
            "",
            "The reconcilers come from the application's HookwiseCliExtension (ServiceLoader): put its jar on the",
            "class path (HOOKWISE_CLASSPATH=app.jar hookwise reconcile). A first run writes nothing and shows the",
            "drift; the corrections are applied after confirmation (or --yes), by a second run.",
            "",
            "Exit codes: 0 no drift, or all corrected; 1 drift left (detected, failed, or --dry-run); 2 usage error;",
            "3 event store or Stripe unreachable; 4 no reconcilers on the class path; 5 cancelled."})
public final class ReconcileCommand extends CliCommand {

    @Option(names = "--entity", paramLabel = "<name>", split = ",",
            description = "only the reconcilers with these names (Reconciler.name(), e.g. order)")
    List<String> entities = new ArrayList<>();

    @Option(names = "--days", defaultValue = "1", paramLabel = "<n>",
            description = "look at the last n days, 1 to 30 (default: ${DEFAULT-VALUE}, as ReconciliationScheduler)")
    int days;

    @Option(names = "--dry-run", description = "show the drift and the corrections; write nothing")
    boolean dryRun;

    private record Run(String name, @Nullable ReconciliationReport report, @Nullable String error, boolean unavailable) {}

    @Override
    int run() {
        if (days < 1 || days > 30) {
            throw new CliException(ExitCode.USAGE, "--days must be between 1 and 30, but was " + days);
        }
        List<HookwiseCliExtension> extensions = Extensions.load(Thread.currentThread().getContextClassLoader());
        EventLog log = root.eventLog();
        Instant to = now();
        Instant from = to.minus(Duration.ofDays(days));

        List<Reconciler> preview = select(reconcilers(extensions, log, false));
        List<Run> previewRuns = runAll(preview, from, to, "checking");
        long corrections = count(previewRuns, Action.CORRECTED);
        List<Run> finalRuns = previewRuns;
        boolean applied = false;
        if (!dryRun && corrections > 0) {
            root.confirmation().require("Apply " + corrections + " correction(s) to the local state?");
            finalRuns = runAll(select(reconcilers(extensions, log, true)), from, to, "correcting");
            applied = true;
        }
        print(from, to, finalRuns, applied);
        if (finalRuns.stream().anyMatch(Run::unavailable)) {
            return ExitCode.UNAVAILABLE;
        }
        boolean driftLeft = finalRuns.stream().anyMatch(r -> r.error() != null)
                || count(finalRuns, Action.DETECTED) + count(finalRuns, Action.FAILED) > 0
                || (!applied && corrections > 0);
        return driftLeft ? ExitCode.PROBLEMS : ExitCode.OK;
    }

    private List<Reconciler> reconcilers(List<HookwiseCliExtension> extensions, EventLog log, boolean corrections) {
        ReconcileContext context = new ReconcileContext(log, root::stripe, io().clock(), corrections);
        List<Reconciler> all = new ArrayList<>();
        for (HookwiseCliExtension e : extensions) {
            all.addAll(e.reconcilers(context));
        }
        if (all.isEmpty()) {
            throw Extensions.missing("reconcile", "reconcilers (HookwiseCliExtension.reconcilers)");
        }
        return all;
    }

    private List<Reconciler> select(List<Reconciler> all) {
        if (entities.isEmpty()) {
            return all;
        }
        Set<String> names = new LinkedHashSet<>();
        all.forEach(r -> names.add(r.name()));
        for (String e : entities) {
            if (!names.contains(e)) {
                throw new CliException(ExitCode.USAGE, "--entity " + e + " names no reconciler; the application provides: "
                        + String.join(", ", names));
            }
        }
        return all.stream().filter(r -> entities.contains(r.name())).toList();
    }

    private List<Run> runAll(List<Reconciler> reconcilers, Instant from, Instant to, String verb) {
        List<Run> runs = new ArrayList<>();
        try (Progress progress = root.progress(verb)) {
            int n = 0;
            for (Reconciler r : reconcilers) {
                progress.update(++n, "of " + reconcilers.size() + " reconciler(s): " + r.name());
                try {
                    runs.add(new Run(r.name(), r.reconcile(from, to), null, false));
                } catch (StoreUnavailableException e) {
                    runs.add(new Run(r.name(), null, "the database is unavailable: " + e.getMessage(), true));
                } catch (StripeApiException e) {
                    runs.add(new Run(r.name(), null, Stripes.describe(e), true));
                } catch (CliException e) {
                    throw e;
                } catch (RuntimeException e) {
                    runs.add(new Run(r.name(), null, "failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                            false));
                }
            }
        }
        return runs;
    }

    private static long count(List<Run> runs, Action action) {
        return runs.stream().filter(r -> r.report() != null)
                .flatMap(r -> r.report().items().stream()).filter(i -> i.action() == action).count();
    }

    private String action(Action a, boolean applied) {
        if (a == Action.CORRECTED) {
            return applied ? "corrected" : "would correct";
        }
        return a == Action.DETECTED ? "detected (needs a person)" : "failed";
    }

    /** The preview's corrections did not happen: say so in StateStoreReconciler's wording too. */
    private static String detail(ReconciliationReport.Item i, boolean applied) {
        return !applied && i.action() == Action.CORRECTED && i.detail().startsWith("moved ")
                ? "would move " + i.detail().substring("moved ".length()) : i.detail();
    }

    private void print(Instant from, Instant to, List<Run> runs, boolean applied) {
        if (json()) {
            Map<String, @Nullable Object> o = JsonOut.object();
            o.put("from", JsonOut.time(from));
            o.put("to", JsonOut.time(to));
            o.put("dry_run", dryRun);
            o.put("applied", applied);
            List<Map<String, @Nullable Object>> list = new ArrayList<>();
            for (Run run : runs) {
                Map<String, @Nullable Object> r = JsonOut.object();
                r.put("reconciler", run.name());
                r.put("error", run.error());
                ReconciliationReport rep = run.report();
                if (rep != null) {
                    r.put("checked", rep.checked());
                    r.put("drift_detected", rep.driftDetected());
                    r.put("corrected", applied ? rep.corrected() : 0);
                    r.put("would_correct", applied ? 0 : rep.corrected());
                    List<Map<String, @Nullable Object>> items = new ArrayList<>();
                    for (ReconciliationReport.Item i : rep.items()) {
                        Map<String, @Nullable Object> item = JsonOut.object();
                        item.put("entity_type", i.entityType());
                        item.put("entity_id", i.entityId());
                        item.put("local_state", i.localState());
                        item.put("expected_state", i.expectedState());
                        item.put("action", i.action() == Action.CORRECTED && !applied ? "would_correct"
                                : i.action().name().toLowerCase(Locale.ROOT));
                        item.put("detail", detail(i, applied));
                        items.add(item);
                    }
                    r.put("items", items);
                }
                list.add(r);
            }
            o.put("reconcilers", list);
            JsonOut.print(out(), o);
            return;
        }
        out().println("reconciliation of " + TimeArgs.show(from) + " .. " + TimeArgs.show(to) + (applied ? "" : " (nothing written)"));
        out().println();
        Table summary = Table.of("RECONCILER", "CHECKED", "DRIFT", applied ? "CORRECTED" : "WOULD CORRECT", "FAILED", "ERROR");
        for (Run run : runs) {
            ReconciliationReport r = run.report();
            summary.row(run.name(), r == null ? "-" : r.checked(), r == null ? "-" : r.driftDetected(),
                    r == null ? "-" : r.corrected(), r == null ? "-" : r.failed(), run.error());
        }
        summary.print(out());
        List<ReconciliationReport.Item> items = runs.stream().filter(r -> r.report() != null)
                .flatMap(r -> r.report().items().stream()).toList();
        if (!items.isEmpty()) {
            out().println();
            Table t = Table.of("ENTITY", "ID", "LOCAL", "EXPECTED", "ACTION", "DETAIL").cap(5, 80);
            items.forEach(i -> t.row(i.entityType(), i.entityId(), i.localState(), i.expectedState(),
                    action(i.action(), applied), detail(i, applied)));
            t.print(out());
        }
        long would = count(runs, Action.CORRECTED);
        if (!applied && would > 0) {
            out().println();
            out().println(dryRun ? "dry run: " + would + " correction(s) would be applied; nothing was written"
                    : "no correction applied");
        }
    }
}
