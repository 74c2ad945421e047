package dev.hookwise.spring;

import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.inbox.Backoff;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.operations.EventRetention;
import dev.hookwise.core.operations.WebhookHealth;
import dev.hookwise.core.policy.EventAgePolicy;
import dev.hookwise.core.policy.RetryPolicy;
import dev.hookwise.core.recovery.ReconciliationScheduler;
import dev.hookwise.core.signature.SignatureVerifier;
import dev.hookwise.spring.scheduling.DailyTask;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Everything the Hookwise starter reads, under {@code hookwise.*}. One property is required:
 * {@code hookwise.stripe.signing-secrets}. Every default is the core's own constant (for example
 * {@link SignatureVerifier#DEFAULT_TOLERANCE}), so a default lives in exactly one place.
 *
 * <pre>
 * hookwise.stripe.signing-secrets=whsec_…
 * hookwise.path=/stripe/webhook
 * hookwise.mode=async
 * </pre>
 *
 * <p>Secrets and the API key are never logged and never part of an exception message.
 */
@ConfigurationProperties("hookwise")
public class HookwiseProperties {

    /** Default endpoint path. */
    public static final String DEFAULT_PATH = "/stripe/webhook";

    /** Whether the Hookwise auto-configuration is active at all. */
    private boolean enabled = true;

    /** Path of the webhook endpoint Stripe POSTs to. */
    private String path = DEFAULT_PATH;

    /**
     * When handlers run: sync (inside the request; the answer reports their result) or async
     * (the event is queued and answered at once; a worker pool runs the handlers with durable retries).
     * Unset: async when the event log is the JDBC store and keeps payloads (the inbox then survives
     * restarts; see docs/architecture.md), sync with the in-memory store.
     */
    private @Nullable ProcessingMode mode;

    /** How far the signature's timestamp may be from now, either way; zero disables the time check. */
    private Duration tolerance = SignatureVerifier.DEFAULT_TOLERANCE;

    /** Events created longer ago than this are recorded as skipped_stale and not handled; zero disables the check. */
    private Duration maxEventAge = EventAgePolicy.DEFAULT_MAX_AGE;

    /** Largest request body accepted; larger bodies are answered 413. */
    private DataSize maxPayloadSize = DataSize.ofBytes(SignatureVerifier.DEFAULT_MAX_PAYLOAD_BYTES);

    /**
     * How long a claim on an event holds without a heartbeat; renewed every third of it while a handler
     * runs, so it bounds how long a crashed instance keeps an event, not how long a handler may take.
     * Must be longer than the in-process retries take in total.
     */
    private Duration leaseDuration = WebhookProcessor.DEFAULT_LEASE;

    /**
     * How long one handler run may take before it is interrupted and counted as a failed attempt;
     * unset for no limit. A run past it is reported as stuck by health until its thread returns.
     */
    private @Nullable Duration handlerTimeout;

    /** Retry-After sent with 503 answers (store unavailable, overloaded). */
    private Duration retryAfter = WebhookProcessor.DEFAULT_RETRY_AFTER;

    /** A name for this instance in claim owners; a random one when unset. */
    private @Nullable String instanceId;

    private final Stripe stripe = new Stripe();
    private final Store store = new Store();
    private final Retry retry = new Retry();
    private final Worker worker = new Worker();
    private final Retention retention = new Retention();
    private final Reconciliation reconciliation = new Reconciliation();
    private final Sources sources = new Sources();
    private final Backpressure backpressure = new Backpressure();
    private final Health health = new Health();
    private final Console console = new Console();
    private final Security security = new Security();
    private final Observations observations = new Observations();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public @Nullable ProcessingMode getMode() {
        return mode;
    }

    public void setMode(@Nullable ProcessingMode mode) {
        this.mode = mode;
    }

    public Duration getTolerance() {
        return tolerance;
    }

    public void setTolerance(Duration tolerance) {
        this.tolerance = tolerance;
    }

    public Duration getMaxEventAge() {
        return maxEventAge;
    }

    public void setMaxEventAge(Duration maxEventAge) {
        this.maxEventAge = maxEventAge;
    }

    public DataSize getMaxPayloadSize() {
        return maxPayloadSize;
    }

    public void setMaxPayloadSize(DataSize maxPayloadSize) {
        this.maxPayloadSize = maxPayloadSize;
    }

    public Duration getLeaseDuration() {
        return leaseDuration;
    }

    public void setLeaseDuration(Duration leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    public @Nullable Duration getHandlerTimeout() {
        return handlerTimeout;
    }

    public void setHandlerTimeout(@Nullable Duration handlerTimeout) {
        this.handlerTimeout = handlerTimeout;
    }

    public Duration getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    public @Nullable String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(@Nullable String instanceId) {
        this.instanceId = instanceId;
    }

    public Stripe getStripe() {
        return stripe;
    }

    public Store getStore() {
        return store;
    }

    public Retry getRetry() {
        return retry;
    }

    public Worker getWorker() {
        return worker;
    }

    public Retention getRetention() {
        return retention;
    }

    public Reconciliation getReconciliation() {
        return reconciliation;
    }

    public Sources getSources() {
        return sources;
    }

    public Backpressure getBackpressure() {
        return backpressure;
    }

    public Health getHealth() {
        return health;
    }

    public Console getConsole() {
        return console;
    }

    public Security getSecurity() {
        return security;
    }

    /**
     * Micrometer observations of deliveries and handler runs ({@code hookwise.observations.*}).
     *
     * @return the observation settings
     * @since 0.2.0
     */
    public Observations getObservations() {
        return observations;
    }

    /** Stripe credentials: the endpoint's signing secrets and, optionally, an API key. */
    public static class Stripe {
        /**
         * The endpoint's signing secrets (whsec_…), from the Stripe Dashboard or `stripe listen`.
         * List two while rolling a secret. Required.
         */
        private List<String> signingSecrets = new ArrayList<>();

        /**
         * Secret API key (sk_… or rk_…) for fetching the latest state of objects and for
         * reconciliation; optional.
         */
        private @Nullable String apiKey;

        /** Base URL of Stripe's API; set it only to point at a fake API in tests. */
        private @Nullable String apiBase;

        public List<String> getSigningSecrets() {
            return signingSecrets;
        }

        public void setSigningSecrets(List<String> signingSecrets) {
            this.signingSecrets = signingSecrets;
        }

        public @Nullable String getApiKey() {
            return apiKey;
        }

        public void setApiKey(@Nullable String apiKey) {
            this.apiKey = apiKey;
        }

        public @Nullable String getApiBase() {
            return apiBase;
        }

        public void setApiBase(@Nullable String apiBase) {
            this.apiBase = apiBase;
        }

        @Override
        public String toString() {
            // Never the values.
            return "Stripe[" + signingSecrets.size() + " signing secret(s), api key " + (apiKey == null ? "unset" : "set") + "]";
        }
    }

    /** Where events are recorded. */
    public enum StoreType {
        /** JDBC when the application has a DataSource and webhook-jdbc is on the classpath, else memory. */
        AUTO,
        /** In memory: lost on restart; for development and tests. */
        MEMORY,
        /** The application's DataSource, through webhook-jdbc. */
        JDBC
    }

    /** The event log. */
    public static class Store {
        /** Which store to use: auto (jdbc when a DataSource exists), memory or jdbc. */
        private StoreType type = StoreType.AUTO;

        /** Prefix of the JDBC tables: lower case letters, digits and underscores. */
        private String tablePrefix = dev.hookwise.jdbc.JdbcIdempotencyStore.DEFAULT_TABLE_PREFIX; // a compile-time constant: no class loading

        /**
         * Whether to create the JDBC tables at start-up if they do not exist. Unset (auto): yes, unless
         * a Flyway or Liquibase bean manages the database; an explicit true or false always wins.
         */
        private @Nullable Boolean initializeSchema;

        /** Whether to keep raw payloads for replay; asynchronous mode needs them. */
        private boolean keepPayloads = true;

        /**
         * Whether the application's HikariCP pools retry a refused connection every 100 ms, so that
         * they (and the inbox worker) are back within a tenth of a second of the database accepting
         * connections after an outage, rather than after HikariCP's own backoff of up to 5 s.
         */
        private boolean reconnectOnOutage = true;

        public StoreType getType() {
            return type;
        }

        public void setType(StoreType type) {
            this.type = type;
        }

        public String getTablePrefix() {
            return tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        /** The explicit choice, or null for auto (see {@code StoreConfigurations}). */
        public @Nullable Boolean getInitializeSchema() {
            return initializeSchema;
        }

        public void setInitializeSchema(@Nullable Boolean initializeSchema) {
            this.initializeSchema = initializeSchema;
        }

        public boolean isKeepPayloads() {
            return keepPayloads;
        }

        public void setKeepPayloads(boolean keepPayloads) {
            this.keepPayloads = keepPayloads;
        }

        public boolean isReconnectOnOutage() {
            return reconnectOnOutage;
        }

        public void setReconnectOnOutage(boolean reconnectOnOutage) {
            this.reconnectOnOutage = reconnectOnOutage;
        }
    }

    /** In-process retry of transient handler failures (synchronous mode). */
    public static class Retry {
        /** Attempts per delivery, the first included; 1 disables in-process retry. */
        private int maxAttempts = RetryPolicy.DEFAULT_MAX_ATTEMPTS;

        /** Wait before the first retry. */
        private Duration initialInterval = RetryPolicy.DEFAULT_INITIAL_INTERVAL;

        /** Factor applied to the wait after each retry. */
        private double multiplier = RetryPolicy.DEFAULT_MULTIPLIER;

        /** Longest wait between two retries. */
        private Duration maxInterval = RetryPolicy.DEFAULT_MAX_INTERVAL;

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getInitialInterval() {
            return initialInterval;
        }

        public void setInitialInterval(Duration initialInterval) {
            this.initialInterval = initialInterval;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getMaxInterval() {
            return maxInterval;
        }

        public void setMaxInterval(Duration maxInterval) {
            this.maxInterval = maxInterval;
        }
    }

    /** The inbox worker pool (asynchronous mode). */
    public static class Worker {
        /** Handler threads. */
        private int threads = InboxWorker.DEFAULT_THREADS;

        /** Wait between polls that found nothing. */
        private Duration pollInterval = InboxWorker.DEFAULT_POLL_INTERVAL;

        /** Most events claimed per poll. */
        private int batchSize = InboxWorker.DEFAULT_BATCH_SIZE;

        /**
         * Most events of transactional handlers one worker thread runs in one database transaction
         * (1 to 64), each in a savepoint: one commit for many events. A poll claims at most
         * batch-size events, so raise that too (e.g. threads 4, transaction-batch-size 25, batch-size 100).
         */
        private int transactionBatchSize = InboxWorker.DEFAULT_TRANSACTION_BATCH_SIZE;

        /**
         * Most events the worker claims ahead of its threads and queues for them (0 to 1000); their
         * leases are renewed until a thread takes them, and they are given back when the worker stops.
         * The worker claims again when half of this or less is queued, so a busy worker pays one claim
         * for many events; 0 claims only what its idle threads can start.
         */
        private int prefetch = InboxWorker.DEFAULT_PREFETCH;

        /**
         * Attempts (claims) before an event is dead, replayable from the Actuator endpoint; counted when
         * an event is claimed, so runs that crashed or hung count. Applies to synchronous mode too,
         * where Stripe's redeliveries are the attempts.
         */
        private int maxAttempts = InboxWorker.DEFAULT_MAX_ATTEMPTS;

        /** Wait before the second attempt of a failing event. */
        private Duration backoffInitial = Backoff.DEFAULT_INITIAL;

        /** Factor applied to the wait after each failed attempt. */
        private double backoffMultiplier = Backoff.DEFAULT_MULTIPLIER;

        /** Longest wait between two attempts. */
        private Duration backoffMax = Backoff.DEFAULT_MAX;

        /** How long shutdown lets running events finish. */
        private Duration shutdownTimeout = InboxWorker.DEFAULT_SHUTDOWN_TIMEOUT;

        public int getThreads() {
            return threads;
        }

        public void setThreads(int threads) {
            this.threads = threads;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public int getPrefetch() {
            return prefetch;
        }

        public void setPrefetch(int prefetch) {
            this.prefetch = prefetch;
        }

        public int getTransactionBatchSize() {
            return transactionBatchSize;
        }

        public void setTransactionBatchSize(int transactionBatchSize) {
            this.transactionBatchSize = transactionBatchSize;
        }

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getBackoffInitial() {
            return backoffInitial;
        }

        public void setBackoffInitial(Duration backoffInitial) {
            this.backoffInitial = backoffInitial;
        }

        public double getBackoffMultiplier() {
            return backoffMultiplier;
        }

        public void setBackoffMultiplier(double backoffMultiplier) {
            this.backoffMultiplier = backoffMultiplier;
        }

        public Duration getBackoffMax() {
            return backoffMax;
        }

        public void setBackoffMax(Duration backoffMax) {
            this.backoffMax = backoffMax;
        }

        public Duration getShutdownTimeout() {
            return shutdownTimeout;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
        }
    }

    /** Daily deletion of old completed and ignored events; failed, dead and queued events are kept. */
    public static class Retention {
        /** Whether to purge old events once a day. */
        private boolean enabled = true;

        /** How long completed and ignored events are kept. */
        private Duration keep = EventRetention.DEFAULT_RETENTION;

        /** Hour of the day (0-23, UTC) the daily purge runs at. */
        private int hourOfDay = DailyTask.DEFAULT_HOUR_OF_DAY;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getKeep() {
            return keep;
        }

        public void setKeep(Duration keep) {
            this.keep = keep;
        }

        public int getHourOfDay() {
            return hourOfDay;
        }

        public void setHourOfDay(int hourOfDay) {
            this.hourOfDay = hourOfDay;
        }
    }

    /**
     * Daily reconciliation: every {@code Reconciler} bean of the application (for example a
     * {@code StateStoreReconciler} over the orders) compares local state with Stripe's and corrects
     * drift. Off by default; needs at least one Reconciler bean when on.
     */
    public static class Reconciliation {
        /** Whether to run the application's Reconciler beans once a day. */
        private boolean enabled = false;

        /** Hour of the day (0-23, in the zone below) reconciliation runs at. */
        private int hourOfDay = ReconciliationScheduler.DEFAULT_HOUR_OF_DAY;

        /** How many days back each run looks (1-30). */
        private int daysBack = ReconciliationScheduler.DEFAULT_DAYS_BACK;

        /** Time zone of the hour of day. */
        private ZoneId zone = ZoneOffset.UTC;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getHourOfDay() {
            return hourOfDay;
        }

        public void setHourOfDay(int hourOfDay) {
            this.hourOfDay = hourOfDay;
        }

        public int getDaysBack() {
            return daysBack;
        }

        public void setDaysBack(int daysBack) {
            this.daysBack = daysBack;
        }

        public ZoneId getZone() {
            return zone;
        }

        public void setZone(ZoneId zone) {
            this.zone = zone;
        }
    }

    /** An optional allow-list of source addresses, a second line of defence behind the signature. */
    public static class Sources {
        /** Addresses or CIDR blocks allowed to deliver (IPv4 or IPv6); empty allows any. */
        private List<String> allow = new ArrayList<>();

        /** Reverse proxies (CIDR) whose X-Forwarded-For header is believed; needs an allow-list. */
        private List<String> trustedProxies = new ArrayList<>();

        public List<String> getAllow() {
            return allow;
        }

        public void setAllow(List<String> allow) {
            this.allow = allow;
        }

        public List<String> getTrustedProxies() {
            return trustedProxies;
        }

        public void setTrustedProxies(List<String> trustedProxies) {
            this.trustedProxies = trustedProxies;
        }
    }

    /** Limits above which deliveries are answered 503 overloaded, so Stripe retries later. */
    public static class Backpressure {
        /** Most deliveries processed at once; unset means no limit. */
        private @Nullable Integer maxInFlight;

        /** Largest inbox backlog accepted in asynchronous mode; unset means no limit. */
        private @Nullable Long maxBacklog;

        public @Nullable Integer getMaxInFlight() {
            return maxInFlight;
        }

        public void setMaxInFlight(@Nullable Integer maxInFlight) {
            this.maxInFlight = maxInFlight;
        }

        public @Nullable Long getMaxBacklog() {
            return maxBacklog;
        }

        public void setMaxBacklog(@Nullable Long maxBacklog) {
            this.maxBacklog = maxBacklog;
        }
    }

    /**
     * Thresholds of the Actuator health indicator. Crossing one makes the {@code hookwise}
     * component DEGRADED (HTTP 200); only an unreachable event store makes it DOWN (HTTP 503).
     */
    public static class Health {
        /** Backlog size at which health is DEGRADED. */
        private long backlogThreshold = WebhookHealth.DEFAULT_BACKLOG_THRESHOLD;

        /** Share of failed handler runs (0 to 1) in the window above which health is DEGRADED. */
        private double failureRateThreshold = WebhookHealth.DEFAULT_FAILURE_RATE_THRESHOLD;

        /** Window the failure rate and recent dead events are measured over. */
        private Duration window = WebhookHealth.DEFAULT_WINDOW;

        /** How long the backlog must rise without falling or emptying before health is DEGRADED. */
        private Duration backlogGrowthPeriod = WebhookHealth.DEFAULT_BACKLOG_GROWTH_PERIOD;

        /** Age of the oldest pending event above which health is DEGRADED; unset means not checked. */
        private @Nullable Duration maxOldestPendingAge;

        public Duration getBacklogGrowthPeriod() {
            return backlogGrowthPeriod;
        }

        public void setBacklogGrowthPeriod(Duration backlogGrowthPeriod) {
            this.backlogGrowthPeriod = backlogGrowthPeriod;
        }

        public @Nullable Duration getMaxOldestPendingAge() {
            return maxOldestPendingAge;
        }

        public void setMaxOldestPendingAge(@Nullable Duration maxOldestPendingAge) {
            this.maxOldestPendingAge = maxOldestPendingAge;
        }

        public long getBacklogThreshold() {
            return backlogThreshold;
        }

        public void setBacklogThreshold(long backlogThreshold) {
            this.backlogThreshold = backlogThreshold;
        }

        public double getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(double failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public Duration getWindow() {
            return window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }
    }

    /**
     * The operators' web console (Spring MVC applications): backlog, failure rate, counts per type,
     * processing-time percentiles per hour, failed and dead events with their reasons, and replay.
     * Off by default; start-up refuses it unless Spring Security protects it or
     * {@code allow-unauthenticated} is set.
     */
    public static class Console {
        /** Default path of the console page. */
        public static final String DEFAULT_PATH = "/hookwise";

        /** Whether the web console is served. */
        private boolean enabled;

        /** Path of the console page; its JSON is served below it ({path}/api/…). */
        private String path = DEFAULT_PATH;

        /**
         * Whether to serve the console even though Spring Security does not refuse anonymous requests
         * to it (for a console protected by something else, such as a proxy that authenticates, or a
         * port only operators reach). Anyone who reaches the console can replay events.
         */
        private boolean allowUnauthenticated;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public boolean isAllowUnauthenticated() {
            return allowUnauthenticated;
        }

        public void setAllowUnauthenticated(boolean allowUnauthenticated) {
            this.allowUnauthenticated = allowUnauthenticated;
        }
    }

    /**
     * Spring Security (servlet applications with its web configuration): the starter adds a
     * {@code SecurityFilterChain} for POSTs to the webhook path only, ahead of the application's own
     * chains, that lets them in without a login, a CSRF token or a session (Stripe signs its requests
     * and can send neither). Every other request is left to the application's chains.
     */
    public static class Security {
        /** Whether to add the SecurityFilterChain that lets Stripe's POSTs to the webhook path through Spring Security. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * Micrometer observations ({@code hookwise.receive}, {@code hookwise.enqueue},
     * {@code hookwise.process}) reported to the application's {@code ObservationRegistry}, and the
     * trace context that asynchronous mode stores with each queued event.
     *
     * @since 0.2.0
     */
    public static class Observations {
        /**
         * Whether to report Micrometer observations of deliveries, enqueues and handler runs to the
         * application's ObservationRegistry (with Micrometer Tracing: spans, and the worker continuing
         * the delivery's trace).
         */
        private boolean enabled = true;

        /**
         * Whether observations are reported when the application has an {@code ObservationRegistry}.
         *
         * @return true unless switched off
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Switches observations on or off.
         *
         * @param enabled false to keep the processor's observations off
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
