package dev.hookwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import dev.hookwise.jdbc.state.JdbcStateStore;
import dev.hookwise.testkit.FakeStripeApi;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.orders.OrderMachine;
import dev.hookwise.testkit.orders.OrderState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every {@code hookwise} command against a real event log: seeded through the JDBC store, run
 * in-process through picocli, judged by its output and exit code, and by what it left in the
 * database. One subclass per database.
 */
abstract class CliCommandsTestBase {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    protected abstract CliDatabase db();

    private final MutableClock clock = MutableClock.at(NOW);
    private final StripeEventFactory events = StripeEventFactory.create(clock, 42);
    private JdbcIdempotencyStore store;

    @BeforeEach
    void emptyLog() throws Exception {
        db().clear();
        store = JdbcIdempotencyStore.builder(db().dataSource()).tablePrefix(db().prefix()).clock(clock).build();
        TestCliExtension.reset();
    }

    @AfterEach
    void resetExtension() {
        TestCliExtension.reset();
    }

    // ------------------------------------------------------------------ status and report

    @Test
    void statusShowsTheHealthFiguresAndIsDownWhenTheFailureRateIsTooHigh() {
        completed(payment("ord_1"), Duration.ofMillis(40));
        completed(payment("ord_2"), Duration.ofMillis(60));
        failed(payment("ord_3"), "timeout calling the warehouse");
        dead(payment("ord_4"), "order ord_4 not found");
        queued(payment("ord_5"));
        clock.advance(Duration.ofMinutes(2));

        CliRun.Result r = cli().run(conn("status"));

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.PROBLEMS);
        assertThat(r.out()).contains("status          DOWN")
                .contains("backlog         2 waiting, 0 processing")
                .contains("oldest pending  2m\n")
                .contains("failure rate    0.5000 over the last 15m (2 completed, 1 failed, 1 dead)")
                .contains("last success    " + NOW + " (2m ago)")
                .contains("dead            1 (need a person: hookwise dead)")
                .contains("failure rate 0.5000 over the last 15m is above 0.0010");

        CliRun.Result json = cli().run(conn("status", "--json"));
        assertThat(json.code()).isEqualTo(ExitCode.PROBLEMS);
        assertThat(json.json().get("status").asText()).isEqualTo("DOWN");
        assertThat(json.json().get("backlog").asLong()).isEqualTo(2);
        assertThat(json.json().get("dead").asLong()).isEqualTo(1);
        assertThat(json.json().get("failed").asLong()).isEqualTo(1);
        assertThat(json.json().get("oldest_pending_age_seconds").asLong()).isEqualTo(120);
        assertThat(json.json().get("failure_rate").asDouble()).isEqualTo(0.5);
        assertThat(json.json().get("last_success").asText()).isEqualTo(NOW.toString());
    }

    @Test
    void statusIsUpWhenEverythingCompletedAndHonoursItsThresholds() {
        completed(payment("ord_1"), Duration.ofMillis(40));
        queued(payment("ord_2"));

        CliRun.Result up = cli().run(conn("status"));
        assertThat(up.code()).as(up.toString()).isEqualTo(ExitCode.OK);
        assertThat(up.out()).contains("status          UP").doesNotContain("problems:");

        CliRun.Result strict = cli().run(conn("status", "--max-backlog", "1"));
        assertThat(strict.code()).isEqualTo(ExitCode.PROBLEMS);
        assertThat(strict.out()).contains("backlog 1 is at or above 1");
    }

    @Test
    void reportPrintsCountsPerTypePercentilesAndErrors() {
        for (int i = 1; i <= 10; i++) {
            completed(payment("ord_" + i), Duration.ofMillis(10L * i));
        }
        dead(payment("ord_11"), "order ord_11 not found");
        dead(payment("ord_12"), "order ord_12 not found");
        failed(events.invoicePaymentFailed().created(NOW.minusSeconds(30)).build(), "smtp down");

        CliRun.Result r = cli().run(conn("report", "--from", "1h"));

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("events created " + NOW.minusSeconds(3600) + " .. " + NOW + ": 13")
                .containsPattern("payment_intent\\.succeeded\\s+10\\s+0\\s+2\\s+12")
                .containsPattern("invoice\\.payment_failed\\s+0\\s+1\\s+0\\s+1")
                .contains("processing time of 10 completed event(s): p50 50.0 ms  p95 100.0 ms  p99 100.0 ms  max 100.0 ms")
                .containsPattern("1\\s+order ord_11 not found")
                .containsPattern("1\\s+smtp down");

        CliRun.Result json = cli().run(conn("report", "--from", "1h", "--json"));
        assertThat(json.json().get("total").asLong()).isEqualTo(13);
        assertThat(json.json().at("/counts_by_type/payment_intent.succeeded/completed").asLong()).isEqualTo(10);
        assertThat(json.json().at("/processing_time_ms/p95").asDouble()).isEqualTo(100.0);
        assertThat(json.json().get("failed_events")).hasSize(3);
    }

    @Test
    void reportRefusesAnEmptyWindowAsAUsageError() {
        CliRun.Result r = cli().run(conn("report", "--from", "2026-11-20", "--to", "2026-11-19"));
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--from (2026-11-20T00:00:00Z) must be before --to (2026-11-19T00:00:00Z)");
    }

    // ------------------------------------------------------------------ failed and dead

    @Test
    void deadListsReasonsOnePageAtATime() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ids.add(dead(payment("ord_" + i), "order ord_" + i + " not found\n  at Shop.paid").id());
        }
        CliRun.Result first = cli().run(conn("dead", "--limit", "2"));
        assertThat(first.code()).as(first.toString()).isEqualTo(ExitCode.PROBLEMS);
        assertThat(first.out()).contains(ids.get(0), ids.get(1), "order ord_1 not found").doesNotContain(ids.get(2))
                .doesNotContain("at Shop.paid").contains("dead events 1-2; next page: --offset 2");

        CliRun.Result second = cli().run(conn("dead", "--limit", "2", "--offset", "2", "--json"));
        assertThat(second.json().get("events")).hasSize(1);
        assertThat(second.json().at("/events/0/id").asText()).isEqualTo(ids.get(2));
        assertThat(second.json().at("/events/0/last_error").asText()).contains("at Shop.paid");
        assertThat(second.json().get("more").asBoolean()).isFalse();

        CliRun.Result failed = cli().run(conn("failed"));
        assertThat(failed.code()).isEqualTo(ExitCode.OK);
        assertThat(failed.out()).contains("no failed events");
    }

    @Test
    void failedListsEventsWithTheirNextAttempt() {
        EventRecord f = failed(events.invoicePaymentFailed().created(NOW.minusSeconds(30)).build(), "smtp down");
        CliRun.Result r = cli().run(conn("failed", "--type", "invoice.payment_failed"));
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.PROBLEMS);
        assertThat(r.out()).contains(f.id(), "smtp down", NOW.plus(Duration.ofMinutes(10)).toString());
        assertThat(cli().run(conn("failed", "--type", "charge.refunded")).code()).isEqualTo(ExitCode.OK);
    }

    // ------------------------------------------------------------------ replay

    @Test
    void replayByIdQueuesTheEventForTheWorkersAndRefusesACompletedOne() {
        EventRecord dead = dead(payment("ord_1"), "order ord_1 not found");
        EventRecord done = completed(payment("ord_2"), Duration.ofMillis(5));

        CliRun.Result r = cli().run(conn("replay", dead.id(), done.id(), "--yes"));

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.PROBLEMS);
        assertThat(r.out()).containsPattern(dead.id() + "\\s+payment_intent.succeeded\\s+dead\\s+1\\s+queued")
                .contains("refused: status completed: its effects already happened")
                .contains("queued 1 event(s) (source replay)").contains("inbox workers");
        EventRecord after = store.find(dead.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(EventStatus.QUEUED);
        assertThat(after.source()).isEqualTo(EventSource.REPLAY);
        assertThat(after.attempts()).isZero();
        assertThat(store.find(done.id()).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
    }

    @Test
    void replayByFilterShowsADryRunThenQueuesOnlyTheMatchingEvents() {
        EventRecord deadPayment = dead(payment("ord_1"), "order not found");
        EventRecord deadInvoice = dead(events.invoicePaymentFailed().created(NOW.minusSeconds(30)).build(), "smtp down");
        EventRecord failedPayment = failed(payment("ord_2"), "timeout");

        CliRun.Result dry = cli().run(conn("replay", "--status", "dead", "--type", "payment_intent.succeeded", "--dry-run"));
        assertThat(dry.code()).as(dry.toString()).isEqualTo(ExitCode.OK);
        assertThat(dry.out()).contains(deadPayment.id(), "would queue", "dry run: 1 event(s) would be queued")
                .doesNotContain(deadInvoice.id()).doesNotContain(failedPayment.id());
        assertThat(store.find(deadPayment.id()).orElseThrow().status()).isEqualTo(EventStatus.DEAD);

        CliRun.Result real = cli().run(conn("replay", "--status", "dead", "--type", "payment_intent.succeeded", "--yes",
                "--json"));
        assertThat(real.code()).isEqualTo(ExitCode.OK);
        assertThat(real.json().get("queued").asInt()).isEqualTo(1);
        assertThat(store.find(deadPayment.id()).orElseThrow().status()).isEqualTo(EventStatus.QUEUED);
        assertThat(store.find(deadInvoice.id()).orElseThrow().status()).isEqualTo(EventStatus.DEAD);
        assertThat(store.find(failedPayment.id()).orElseThrow().status()).isEqualTo(EventStatus.FAILED);
    }

    @Test
    void aWriteIsRefusedWithoutATerminalOrYesAndFollowsThePromptsAnswer() {
        EventRecord dead = dead(payment("ord_1"), "order not found");

        CliRun.Result script = cli().run(conn("replay", dead.id()));
        assertThat(script.code()).as(script.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(script.err()).contains("refusing to write without confirmation").contains("--yes");
        assertThat(store.find(dead.id()).orElseThrow().status()).isEqualTo(EventStatus.DEAD);

        CliRun.Result no = cli().typing("n").run(conn("replay", dead.id()));
        assertThat(no.code()).isEqualTo(ExitCode.CANCELLED);
        assertThat(no.err()).contains("Queue 1 event(s) into the inbox for the application's workers? [y/N]")
                .contains("cancelled; nothing was written");
        assertThat(store.find(dead.id()).orElseThrow().status()).isEqualTo(EventStatus.DEAD);

        CliRun.Result yes = cli().typing("y").run(conn("replay", dead.id()));
        assertThat(yes.code()).isEqualTo(ExitCode.OK);
        assertThat(store.find(dead.id()).orElseThrow().status()).isEqualTo(EventStatus.QUEUED);
    }

    // ------------------------------------------------------------------ recover

    @Test
    void recoverQueuesTheEventsStripeSentThatTheLogLacks() {
        try (FakeStripeApi stripe = FakeStripeApi.start()) {
            List<TestEvent> all = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                all.add(events.paymentIntentSucceeded().created(NOW.minus(Duration.ofHours(10)).plusSeconds(i))
                        .metadata("order_id", "ord_" + i).build());
            }
            stripe.addEvents(all);
            for (int i = 0; i < 150; i++) {
                if (i == 7 || i == 120) {
                    continue; // never arrived
                }
                if (i == 42) {
                    store.recordFinal(newEvent(all.get(i)), EventStatus.SKIPPED_STALE, "older than the age policy");
                } else {
                    completed(all.get(i), Duration.ofMillis(3));
                }
            }
            CliRun stripeCli = cli().env("STRIPE_API_KEY", stripe.apiKey());

            CliRun.Result dry = stripeCli.run(conn("recover", "--since", "24h", "--dry-run", "--progress",
                    "--stripe-api-base", stripe.baseUrl()));
            assertThat(dry.code()).as(dry.toString()).isEqualTo(ExitCode.PROBLEMS);
            assertThat(dry.out()).contains("listed 150 Stripe event(s) created since " + NOW.minus(Duration.ofHours(24))
                    + ": 147 in the log, 3 missing").contains(all.get(7).id(), all.get(120).id(), all.get(42).id())
                    .contains("dry run: nothing was written");
            assertThat(dry.err()).contains("listing Stripe events: 150 events listed, 3 missing");
            assertThat(store.find(all.get(7).id())).isEmpty();

            CliRun.Result real = stripeCli.run(conn("recover", "--since", "24h", "--yes", "--stripe-api-base",
                    stripe.baseUrl()));
            assertThat(real.code()).as(real.toString()).isEqualTo(ExitCode.OK);
            assertThat(real.out()).contains("queued 3 event(s) (source recovery)").contains("inbox workers");
            for (int i : new int[] {7, 120, 42}) {
                EventRecord r = store.find(all.get(i).id()).orElseThrow();
                assertThat(r.status()).isEqualTo(EventStatus.QUEUED);
                assertThat(r.source()).isEqualTo(EventSource.RECOVERY);
                assertThat(r.payload()).isNotNull();
            }

            CliRun.Result again = stripeCli.run(conn("recover", "--since", "24h", "--yes", "--json", "--stripe-api-base",
                    stripe.baseUrl()));
            assertThat(again.code()).isEqualTo(ExitCode.OK);
            assertThat(again.json().get("missing").asInt()).isZero();
            assertThat(again.json().get("already_known").asInt()).isEqualTo(150);
        }
    }

    @Test
    void recoverExitsThreeWhenStripeRefusesTheKeyAndNeverPrintsIt() {
        try (FakeStripeApi stripe = FakeStripeApi.start("sk_test_the_right_key")) {
            CliRun.Result r = cli().env("STRIPE_API_KEY", "sk_test_a_wrong_key_12345")
                    .run(conn("recover", "--dry-run", "--stripe-api-base", stripe.baseUrl()));
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.UNAVAILABLE);
            assertThat(r.err()).contains("Stripe refused the API key (401)");
            assertThat(r.out() + r.err()).doesNotContain("a_wrong_key_12345");
        }
    }

    @Test
    void recoverWithoutAKeyIsAUsageError() {
        CliRun.Result r = cli().run(conn("recover", "--dry-run"));
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("no Stripe API key: set STRIPE_API_KEY or pass --stripe-key-file");
    }

    // ------------------------------------------------------------------ reconcile

    @Test
    void reconcileShowsTheDriftThenCorrectsItOnceConfirmed() {
        JdbcStateStore states = JdbcStateStore.builder(db().dataSource()).tablePrefix(db().prefix()).clock(clock).build();
        TestCliExtension.machine = OrderMachine.create();
        Map<String, String> intents = new java.util.HashMap<>();
        try (FakeStripeApi stripe = FakeStripeApi.start()) {
            for (int i = 0; i < 3; i++) {
                String order = "ord_" + i;
                states.create(OrderMachine.ENTITY_TYPE, order, OrderState.PENDING);
                states.transition(OrderMachine.ENTITY_TYPE, order, Set.of(OrderState.PENDING), OrderState.PENDING_PAYMENT,
                        "evt_local_" + i, NOW.minusSeconds(900), EventSource.WEBHOOK);
                intents.put(order, "pi_cli_" + i);
                stripe.putObject(events.paymentIntentSucceeded().objectId("pi_cli_" + i)
                        .status(i < 2 ? "succeeded" : "processing").metadata("order_id", order).build().dataObjectJson());
            }
            TestCliExtension.paymentIntents = Map.copyOf(intents);
            CliRun stripeCli = cli().env("STRIPE_API_KEY", stripe.apiKey());

            CliRun.Result dry = stripeCli.run(conn("reconcile", "--dry-run", "--stripe-api-base", stripe.baseUrl()));
            assertThat(dry.code()).as(dry.toString()).isEqualTo(ExitCode.PROBLEMS);
            assertThat(dry.out()).containsPattern("order\\s+3\\s+2\\s+2\\s+0")
                    .containsPattern("order\\s+ord_0\\s+pending_payment\\s+paid\\s+would correct")
                    .contains("dry run: 2 correction(s) would be applied; nothing was written");
            assertThat(states.find(OrderMachine.ENTITY_TYPE, "ord_0", OrderState.class).orElseThrow().state())
                    .isEqualTo(OrderState.PENDING_PAYMENT);

            CliRun.Result script = stripeCli.run(conn("reconcile", "--stripe-api-base", stripe.baseUrl()));
            assertThat(script.code()).isEqualTo(ExitCode.USAGE);
            assertThat(states.find(OrderMachine.ENTITY_TYPE, "ord_0", OrderState.class).orElseThrow().state())
                    .isEqualTo(OrderState.PENDING_PAYMENT);

            CliRun.Result real = stripeCli.run(conn("reconcile", "--yes", "--entity", "order", "--stripe-api-base",
                    stripe.baseUrl()));
            assertThat(real.code()).as(real.toString()).isEqualTo(ExitCode.OK);
            assertThat(real.out()).containsPattern("order\\s+ord_1\\s+pending_payment\\s+paid\\s+corrected");
            assertThat(states.find(OrderMachine.ENTITY_TYPE, "ord_1", OrderState.class).orElseThrow().state())
                    .isEqualTo(OrderState.PAID);
            assertThat(states.find(OrderMachine.ENTITY_TYPE, "ord_2", OrderState.class).orElseThrow().state())
                    .isEqualTo(OrderState.PENDING_PAYMENT);
            assertThat(states.history(OrderMachine.ENTITY_TYPE, "ord_1", OrderState.class)).last()
                    .satisfies(h -> assertThat(h.source()).isEqualTo(EventSource.RECONCILIATION));

            clock.advance(Duration.ofMinutes(5));
            CliRun.Result after = stripeCli.run(conn("reconcile", "--json", "--stripe-api-base", stripe.baseUrl()));
            assertThat(after.code()).isEqualTo(ExitCode.OK);
            assertThat(after.json().at("/reconcilers/0/drift_detected").asInt()).isZero();
        }
    }

    @Test
    void reconcileAndCheckConsistencyExitFourWithoutTheApplicationsExtension() {
        CliRun.Result reconcile = cli().run(conn("reconcile", "--dry-run"));
        assertThat(reconcile.code()).isEqualTo(ExitCode.NO_EXTENSION);
        assertThat(reconcile.err()).contains("reconcile needs the application's reconcilers")
                .contains("META-INF/services/dev.hookwise.cli.spi.HookwiseCliExtension");
        CliRun.Result check = cli().run(conn("check-consistency"));
        assertThat(check.code()).isEqualTo(ExitCode.NO_EXTENSION);
        assertThat(check.err()).contains("check-consistency needs the application's state machines");
    }

    // ------------------------------------------------------------------ check-consistency, duplicates

    @Test
    void checkConsistencyFindsACompletedEventWithoutItsEffect() {
        JdbcStateStore states = JdbcStateStore.builder(db().dataSource()).tablePrefix(db().prefix()).clock(clock).build();
        TestCliExtension.machine = OrderMachine.create();
        for (String order : List.of("ord_ok", "ord_lost")) {
            states.create(OrderMachine.ENTITY_TYPE, order, OrderState.PENDING);
            states.transition(OrderMachine.ENTITY_TYPE, order, Set.of(OrderState.PENDING), OrderState.PENDING_PAYMENT,
                    "evt_created_" + order, NOW.minusSeconds(600), EventSource.WEBHOOK);
        }
        TestEvent ok = payment("ord_ok");
        TestEvent lost = payment("ord_lost");
        completed(ok, Duration.ofMillis(5));
        completed(lost, Duration.ofMillis(5));
        states.transition(OrderMachine.ENTITY_TYPE, "ord_ok", Set.of(OrderState.PENDING_PAYMENT), OrderState.PAID, ok.id(),
                ok.created(), EventSource.WEBHOOK);

        CliRun.Result r = cli().run(conn("check-consistency", "--from", "1h"));

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.PROBLEMS);
        assertThat(r.out()).containsPattern("order\\s+2\\s+1").contains(lost.id(), "order ord_lost", "paid",
                "completed, but the entity's history has no transition for this event").doesNotContain(ok.id());

        states.transition(OrderMachine.ENTITY_TYPE, "ord_lost", Set.of(OrderState.PENDING_PAYMENT), OrderState.PAID,
                lost.id(), lost.created(), EventSource.REPLAY);
        CliRun.Result fixed = cli().run(conn("check-consistency", "--from", "1h", "--json"));
        assertThat(fixed.code()).isEqualTo(ExitCode.OK);
        assertThat(fixed.json().get("inconsistent").asInt()).isZero();
    }

    @Test
    void findDuplicatePaymentsReportsTwoPaymentsForOneOrder() {
        completed(events.paymentIntentSucceeded().created(NOW.minusSeconds(300)).metadata("order_id", "ord_9")
                .objectId("pi_first").customer("cus_1").amount(500).build(), Duration.ofMillis(5));
        completed(events.paymentIntentSucceeded().created(NOW.minusSeconds(200)).metadata("order_id", "ord_9")
                .objectId("pi_second").customer("cus_2").amount(700).build(), Duration.ofMillis(5));
        completed(payment("ord_10"), Duration.ofMillis(5));

        CliRun.Result r = cli().run(conn("find-duplicate-payments"));
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.PROBLEMS);
        assertThat(r.out()).contains("3 succeeded payment intent(s)").containsPattern("same_order\\s+ord_9\\s+pi_first, pi_second");

        CliRun.Result json = cli().run(conn("find-duplicate-payments", "--json"));
        assertThat(json.json().at("/findings/0/payment_intents/1").asText()).isEqualTo("pi_second");
        assertThat(cli().run(conn("find-duplicate-payments", "--from", "150s")).code()).isEqualTo(ExitCode.OK);
    }

    // ------------------------------------------------------------------ purge

    @Test
    void purgeCountsThenDeletesOnlyOldCompletedEvents() {
        EventRecord old1 = completed(payment("ord_1"), Duration.ofMillis(5));
        EventRecord old2 = completed(payment("ord_2"), Duration.ofMillis(5));
        EventRecord oldDead = dead(payment("ord_3"), "order not found");
        clock.advance(Duration.ofDays(40));
        EventRecord recent = completed(events.paymentIntentSucceeded().created(clock.instant().minusSeconds(5)).build(),
                Duration.ofMillis(5));

        CliRun.Result dry = cli().run(conn("purge", "--older-than", "30d", "--dry-run"));
        assertThat(dry.code()).as(dry.toString()).isEqualTo(ExitCode.OK);
        assertThat(dry.out()).contains("dry run: 2 completed/ignored event(s) finished before");
        assertThat(store.find(old1.id())).isPresent();

        CliRun.Result real = cli().run(conn("purge", "--older-than", "30d", "--yes", "--batch-size", "1"));
        assertThat(real.code()).as(real.toString()).isEqualTo(ExitCode.OK);
        assertThat(real.out()).contains("deleted 2 completed/ignored event(s)");
        assertThat(store.find(old1.id())).isEmpty();
        assertThat(store.find(old2.id())).isEmpty();
        assertThat(store.find(oldDead.id())).isPresent();
        assertThat(store.find(recent.id())).isPresent();

        assertThat(cli().run(conn("purge", "--older-than", "12h", "--yes")).code()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void aMissingTableIsAUsageErrorThatNamesThePrefix() {
        CliRun.Result r = cli().run("status", "--jdbc-url", db().url(), "--db-user", db().database.user,
                "--table-prefix", "nosuch_");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("nosuch_event_log").contains("--table-prefix (now 'nosuch_')");
    }

    // ------------------------------------------------------------------ helpers

    private CliRun cli() {
        return CliRun.with(clock);
    }

    /** The command with the connection options of this class's database. */
    private String[] conn(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--jdbc-url", db().url(), "--db-user", db().database.user, "--table-prefix", db().prefix()));
        return all.toArray(String[]::new);
    }

    private TestEvent payment(String order) {
        return events.paymentIntentSucceeded().created(NOW.minusSeconds(60)).metadata("order_id", order).build();
    }

    private static NewEvent newEvent(TestEvent e) {
        EventEnvelope env = EventEnvelope.parse(e.bytes());
        return new NewEvent(env.id(), env.type(), env.created(), env.livemode(), env.apiVersion().orElse(null),
                env.account().orElse(null), EventSource.WEBHOOK, env.rawBytes());
    }

    private ClaimToken claim(TestEvent e) {
        ClaimResult r = store.claim(newEvent(e), "test-owner", Duration.ofMinutes(5));
        assertThat(r.status()).isEqualTo(ClaimResult.Status.CLAIMED);
        return new ClaimToken(e.id(), "test-owner", r.attempt());
    }

    private EventRecord completed(TestEvent e, Duration took) {
        store.complete(claim(e), took);
        return store.find(e.id()).orElseThrow();
    }

    private EventRecord failed(TestEvent e, String error) {
        store.retryAt(claim(e), error, clock.instant().plus(Duration.ofMinutes(10)));
        return store.find(e.id()).orElseThrow();
    }

    private EventRecord dead(TestEvent e, String error) {
        store.markDead(claim(e), error);
        return store.find(e.id()).orElseThrow();
    }

    private void queued(TestEvent e) {
        assertThat(store.enqueue(newEvent(e))).isTrue();
    }

}
