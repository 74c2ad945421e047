package dev.hookwise.spring.internal;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.policy.RetryPolicy;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.spring.HookwiseProperties;
import java.time.Duration;
import java.util.List;

/**
 * Checks the {@code hookwise.*} properties once, at start-up, and names the property to change in
 * every message. The core builders check their own arguments too; this runs first so that the
 * message speaks in properties, not builder methods. Secret values never appear in a message.
 */
public final class PropertiesValidator {

    private PropertiesValidator() {}

    /**
     * Checks the properties once, at start-up.
     *
     * @throws HookwiseConfigurationException for a missing or malformed secret or contradictory settings
     */
    public static void validate(HookwiseProperties p) {
        List<String> secrets = p.getStripe().getSigningSecrets();
        if (secrets == null || secrets.isEmpty()) {
            throw new HookwiseConfigurationException("no signing secret configured: set hookwise.stripe.signing-secrets"
                    + " to the endpoint's secret (whsec_…) from the Stripe Dashboard, or from `stripe listen` in development");
        }
        for (int i = 0; i < secrets.size(); i++) {
            String s = secrets.get(i);
            if (s == null || s.isBlank()) {
                throw new HookwiseConfigurationException("hookwise.stripe.signing-secrets[" + i + "] is empty: set it to the"
                        + " endpoint's secret (whsec_…) or remove it");
            }
            if (!s.trim().startsWith("whsec_")) {
                throw new HookwiseConfigurationException("hookwise.stripe.signing-secrets[" + i + "] does not start with"
                        + " whsec_: use the webhook endpoint's signing secret, not an API key (the value is not shown here)");
            }
        }
        String path = p.getPath();
        if (path == null || !path.startsWith("/") || path.contains("*") || path.contains("{")) {
            throw new HookwiseConfigurationException("hookwise.path must be a literal path starting with '/', but was '"
                    + path + "'");
        }
        if (p.getMode() == ProcessingMode.ASYNC && !p.getStore().isKeepPayloads()) {
            throw new HookwiseConfigurationException("hookwise.mode=async processes events from their stored payload:"
                    + " remove hookwise.store.keep-payloads=false or use hookwise.mode=sync");
        }
        if (p.getSources().getAllow().isEmpty() && !p.getSources().getTrustedProxies().isEmpty()) {
            throw new HookwiseConfigurationException("hookwise.sources.trusted-proxies is set but"
                    + " hookwise.sources.allow is empty: add the allowed addresses or remove the trusted proxies");
        }
        if (p.getStripe().getApiBase() != null && p.getStripe().getApiKey() == null) {
            throw new HookwiseConfigurationException("hookwise.stripe.api-base is set but hookwise.stripe.api-key is not:"
                    + " set the API key too, or remove the base URL");
        }
        RetryPolicy retry = retryPolicy(p);
        if (p.getLeaseDuration().compareTo(retry.maxTotalWait()) <= 0) {
            throw new HookwiseConfigurationException("hookwise.lease-duration (" + p.getLeaseDuration()
                    + ") must be longer than the in-process retries take in total (" + retry.maxTotalWait()
                    + "): raise hookwise.lease-duration or lower hookwise.retry.*");
        }
        if (p.getHandlerTimeout() != null && !positive(p.getHandlerTimeout())) {
            throw new HookwiseConfigurationException("hookwise.handler-timeout must be positive, but was "
                    + p.getHandlerTimeout() + ": set a limit such as 2m, or leave it unset for no limit");
        }
        if (p.getWorker().getMaxAttempts() < 1) {
            throw new HookwiseConfigurationException("hookwise.worker.max-attempts must be >= 1, but was "
                    + p.getWorker().getMaxAttempts());
        }
        int perTransaction = p.getWorker().getTransactionBatchSize();
        if (perTransaction < 1 || perTransaction > InboxWorker.MAX_TRANSACTION_BATCH_SIZE) {
            throw new HookwiseConfigurationException("hookwise.worker.transaction-batch-size must be between 1 and "
                    + InboxWorker.MAX_TRANSACTION_BATCH_SIZE + ", but was " + perTransaction
                    + ": 1 runs each event in a transaction of its own");
        }
        int prefetch = p.getWorker().getPrefetch();
        if (prefetch < 0 || prefetch > InboxWorker.MAX_PREFETCH) {
            throw new HookwiseConfigurationException("hookwise.worker.prefetch must be between 0 and "
                    + InboxWorker.MAX_PREFETCH + ", but was " + prefetch + ": 0 claims only what idle threads can start");
        }
        hour(p.getRetention().getHourOfDay(), "hookwise.retention.hour-of-day");
        if (p.getRetention().isEnabled() && !positive(p.getRetention().getKeep())) {
            throw new HookwiseConfigurationException("hookwise.retention.keep must be positive, but was "
                    + p.getRetention().getKeep() + ": set a period such as 90d, or hookwise.retention.enabled=false");
        }
        hour(p.getReconciliation().getHourOfDay(), "hookwise.reconciliation.hour-of-day");
        int daysBack = p.getReconciliation().getDaysBack();
        if (daysBack < 1 || daysBack > 30) {
            throw new HookwiseConfigurationException("hookwise.reconciliation.days-back must be between 1 and 30, but was "
                    + daysBack);
        }
        if (p.getMaxPayloadSize().toBytes() < 1 || p.getMaxPayloadSize().toBytes() > Integer.MAX_VALUE) {
            throw new HookwiseConfigurationException("hookwise.max-payload-size must be between 1B and 2GB, but was "
                    + p.getMaxPayloadSize());
        }
    }

    /** The in-process retry policy the properties describe. */
    public static RetryPolicy retryPolicy(HookwiseProperties p) {
        HookwiseProperties.Retry r = p.getRetry();
        if (r.getMaxAttempts() <= 1) {
            return RetryPolicy.none();
        }
        return RetryPolicy.builder()
                .maxAttempts(r.getMaxAttempts())
                .initialInterval(r.getInitialInterval())
                .multiplier(r.getMultiplier())
                .maxInterval(r.getMaxInterval())
                .build();
    }

    private static void hour(int value, String property) {
        if (value < 0 || value > 23) {
            throw new HookwiseConfigurationException(property + " must be between 0 and 23, but was " + value);
        }
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isZero() && !d.isNegative();
    }

    /**
     * {@code hookwise.mode}, or when it is unset: asynchronous on the JDBC event log when payloads
     * are kept (queued events then survive a restart), synchronous otherwise (an in-memory inbox
     * would lose acknowledged events with the process).
     */
    public static ProcessingMode effectiveMode(HookwiseProperties p, IdempotencyStore store) {
        if (p.getMode() != null) {
            return p.getMode();
        }
        // By name: webhook-jdbc is an optional dependency of the starter.
        boolean durable = store.getClass().getName().equals("dev.hookwise.jdbc.JdbcIdempotencyStore");
        return durable && p.getStore().isKeepPayloads() ? ProcessingMode.ASYNC : ProcessingMode.SYNC;
    }
}
