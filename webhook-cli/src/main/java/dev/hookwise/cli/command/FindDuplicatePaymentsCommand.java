package dev.hookwise.cli.command;

import dev.hookwise.cli.ExitCode;
import dev.hookwise.cli.internal.CountingStore;
import dev.hookwise.cli.internal.JsonOut;
import dev.hookwise.cli.internal.Progress;
import dev.hookwise.cli.internal.Table;
import dev.hookwise.cli.internal.TimeArgs;
import dev.hookwise.core.recovery.DuplicatePaymentDetector;
import dev.hookwise.core.recovery.DuplicatePaymentReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hookwise find-duplicate-payments}: the core's {@link DuplicatePaymentDetector} over the event log. */
@Command(name = "find-duplicate-payments", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Reports payments that look taken twice (same order, or same customer and amount).",
            "",
            "Reads the payment_intent.succeeded events in the log: more",
            "than one payment intent for the same order (metadata.order_id), and the same customer paying the same",
            "amount and currency more than once within --same-customer-window. Reads the log only.",
            "",
            "Exit codes: 0 none found, 1 suspicious payments found, 2 usage error, 3 event store unreachable."})
public final class FindDuplicatePaymentsCommand extends CliCommand {

    @Option(names = "--from", defaultValue = "7d", paramLabel = "<time>",
            description = "events created from: a time, a date or an age (default: ${DEFAULT-VALUE})")
    String from;

    @Option(names = "--to", paramLabel = "<time>", description = "events created before (default: now)")
    @Nullable String to;

    @Option(names = "--same-customer-window", defaultValue = "10m", paramLabel = "<age>",
            description = "equal payments of one customer closer than this are suspicious (default: ${DEFAULT-VALUE})")
    String sameCustomerWindow;

    @Override
    int run() {
        Window window = window(from, to);
        Instant start = window.start();
        Instant end = window.end();
        DuplicatePaymentReport report;
        try (Progress progress = root.progress("reading the event log")) {
            report = DuplicatePaymentDetector.of(new CountingStore(root.eventLog().store(), progress))
                    .withSameCustomerWindow(TimeArgs.duration(sameCustomerWindow, "--same-customer-window"))
                    .detect(start, end);
        }
        if (json()) {
            Map<String, @Nullable Object> o = JsonOut.object();
            o.put("from", JsonOut.time(report.from()));
            o.put("to", JsonOut.time(report.to()));
            o.put("payments_seen", report.paymentsSeen());
            List<Map<String, @Nullable Object>> findings = new ArrayList<>();
            for (DuplicatePaymentReport.Finding f : report.findings()) {
                Map<String, @Nullable Object> m = JsonOut.object();
                m.put("kind", f.kind().name().toLowerCase(Locale.ROOT));
                m.put("key", f.key());
                m.put("payment_intents", f.paymentIntents());
                findings.add(m);
            }
            o.put("findings", findings);
            JsonOut.print(out(), o);
        } else {
            out().println(report.paymentsSeen() + " succeeded payment intent(s) in events created " + TimeArgs.show(report.from())
                    + " .. " + TimeArgs.show(report.to()) + ": " + report.findings().size() + " suspicious group(s)");
            if (!report.findings().isEmpty()) {
                out().println();
                Table t = Table.of("KIND", "KEY", "PAYMENT INTENTS");
                report.findings().forEach(f -> t.row(f.kind().name().toLowerCase(Locale.ROOT), f.key(),
                        String.join(", ", f.paymentIntents())));
                t.print(out());
            }
        }
        return report.findings().isEmpty() ? ExitCode.OK : ExitCode.PROBLEMS;
    }
}
