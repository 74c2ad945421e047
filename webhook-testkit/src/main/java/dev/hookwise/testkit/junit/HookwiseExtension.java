package dev.hookwise.testkit.junit;

import dev.hookwise.testkit.FakeStripeApi;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.WebhookSigner;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects Hookwise's test tools into test and lifecycle methods, fresh for every test:
 * <ul>
 *   <li>{@link MutableClock}: starts at the configured instant (default: now), moved only by the test;</li>
 *   <li>{@link StripeEventFactory}: creates events at that clock's time (seeded if a seed is set);</li>
 *   <li>{@link WebhookSigner}: for the configured secret ({@link #DEFAULT_SECRET} unless set), signing at
 *       that clock's time; configure the processor under test with {@code signer.secret()};</li>
 *   <li>{@link FakeStripeApi}: started on first use in a test, stopped after it.</li>
 * </ul>
 * The clock, factory and signer a test receives share one clock.
 *
 * <pre>{@code
 * @ExtendWith(HookwiseExtension.class)
 * class OrderWebhookTest {
 *     @Test
 *     void marksOrderPaid(StripeEventFactory events, WebhookSigner signer, MutableClock clock) {
 *         WebhookProcessor processor = WebhookProcessor.builder().signingSecrets(signer.secret()).clock(clock)
 *                 .handlers(handlers).build();
 *         TestEvent paid = events.paymentIntentSucceeded().metadata("order_id", "o1").build();
 *         assertThat(processor.process(signer.request(paid)).outcome()).isEqualTo(Outcome.PROCESSED);
 *     }
 * }
 * }</pre>
 *
 * <p>For a fixed secret, start time or seed, register a configured instance instead:
 * {@code @RegisterExtension static HookwiseExtension hookwise = HookwiseExtension.builder().seed(42).build();}
 */
public final class HookwiseExtension implements ParameterResolver, AfterEachCallback, AfterAllCallback {

    /** The signing secret used when none is configured. */
    public static final String DEFAULT_SECRET = "whsec_hookwise_testkit_default_secret";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HookwiseExtension.class);
    private static final String CLOCK = "clock";
    private static final String FAKE = "fake-stripe-api";

    private final String secret;
    private final @Nullable Instant start;
    private final @Nullable Long seed;

    /** The default configuration: {@link #DEFAULT_SECRET}, clock at now, random ids. */
    public HookwiseExtension() {
        this(DEFAULT_SECRET, null, null);
    }

    private HookwiseExtension(String secret, @Nullable Instant start, @Nullable Long seed) {
        this.secret = secret;
        this.start = start;
        this.seed = seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The configured signing secret, e.g. to build a processor in a {@code @BeforeAll} method. */
    public String secret() {
        return secret;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == MutableClock.class || type == StripeEventFactory.class || type == WebhookSigner.class
                || type == FakeStripeApi.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        MutableClock clock = clock(store);
        if (type == MutableClock.class) {
            return clock;
        }
        if (type == StripeEventFactory.class) {
            return seed != null ? StripeEventFactory.create(clock, seed) : StripeEventFactory.create(clock);
        }
        if (type == WebhookSigner.class) {
            return WebhookSigner.forSecret(secret).withClock(clock);
        }
        FakeStripeApi fake = store.get(FAKE, FakeStripeApi.class);
        if (fake == null) {
            fake = FakeStripeApi.start();
            store.put(FAKE, fake);
        }
        return fake;
    }

    private MutableClock clock(ExtensionContext.Store store) {
        MutableClock clock = store.get(CLOCK, MutableClock.class);
        if (clock == null) {
            clock = start != null ? MutableClock.at(start) : MutableClock.now();
            store.put(CLOCK, clock);
        }
        return clock;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeFake(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeFake(context);
    }

    private static void closeFake(ExtensionContext context) {
        // Removed before closing, so that JUnit's own closing of stored AutoCloseables never runs twice.
        FakeStripeApi fake = context.getStore(NAMESPACE).remove(FAKE, FakeStripeApi.class);
        if (fake != null) {
            fake.close();
        }
    }

    @Override
    public String toString() {
        return "HookwiseExtension[start=" + (start != null ? start : "now") + ", seed=" + seed + "]";
    }

    /** Builder for a configured {@link HookwiseExtension}. */
    public static final class Builder {
        private String secret = DEFAULT_SECRET;
        private @Nullable Instant start;
        private @Nullable Long seed;

        private Builder() {}

        /** The endpoint secret the signer signs with. */
        public Builder secret(String value) {
            // Validates the value the same way the signer does, without showing it.
            WebhookSigner.forSecret(value);
            this.secret = value;
            return this;
        }

        /** Where each test's clock starts (default: now, so that processors on the system clock also verify). */
        public Builder start(Instant value) {
            this.start = Objects.requireNonNull(value, "start");
            return this;
        }

        /** Seeds the event factory, so that each test gets the same ids on every run. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public HookwiseExtension build() {
            return new HookwiseExtension(secret, start, seed);
        }
    }
}
