package dev.hookwise.jdbc.multi;

import dev.hookwise.core.WebhookRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The second application instance, run in its own JVM by the multi-instance test:
 * {@code SecondInstanceMain <url> <user> <password> <tablePrefix> <effectsTable> <run> <events> <copies> <threads>}.
 * Prints {@code READY}, waits for {@code GO} on stdin so both JVMs start delivering together,
 * then prints one {@code RESULT …} line (see {@link Instance.Tally#toLine()}).
 */
public final class SecondInstanceMain {

    private SecondInstanceMain() {}

    public static void main(String[] args) throws Exception {
        ChildDatabase db = ChildDatabase.of(args);
        String run = args[ChildDatabase.ARGS];
        int events = Integer.parseInt(args[ChildDatabase.ARGS + 1]);
        int copies = Integer.parseInt(args[ChildDatabase.ARGS + 2]);
        int threads = Integer.parseInt(args[ChildDatabase.ARGS + 3]);
        try (Instance instance = Instance.start(db.url(), db.user(), db.password(), db.prefix(), db.effectsTable(),
                "jvm2", Clock.systemUTC(), Duration.ofMinutes(5), threads)) {
            List<WebhookRequest> deliveries = SignedEvents.deliveries(run, events, copies);
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            if (!"GO".equals(line)) {
                System.out.println("ABORTED before start: " + line);
                System.exit(2);
            }
            Instance.Tally tally = instance.deliver(deliveries, threads);
            System.out.println(tally.toLine());
            System.out.flush();
        }
    }
}
