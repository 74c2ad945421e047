package dev.hookwise.core.inbox;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.TransactionalStore;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link InboxWorker.Builder}'s validation: each setter's check names the bad value, and
 * {@link #checkBuild} refuses a combination the processor's store cannot serve, at build time.
 */
final class WorkerChecks {
    private static final Logger log = LoggerFactory.getLogger(InboxWorker.class);

    private WorkerChecks() {}

    /** {@code value}, if at least 1. */
    static int atLeastOne(String what, int value) {
        if (value < 1) {
            throw new HookwiseConfigurationException(what + " must be >= 1, but was " + value);
        }
        return value;
    }

    /** {@code value}, if within {@code [min, max]}. */
    static int between(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new HookwiseConfigurationException(what + " must be between " + min + " and " + max
                    + ", but was " + value);
        }
        return value;
    }

    /** {@code value}, if not negative. */
    static Duration notNegative(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative()) {
            throw new HookwiseConfigurationException(what + " must not be negative, but was " + value);
        }
        return value;
    }

    /** The processor's store as the inbox it must be. */
    static InboxStore inboxOf(WebhookProcessor processor) {
        if (!(processor.store() instanceof InboxStore inbox)) {
            throw new HookwiseConfigurationException("an InboxWorker drains an inbox, but the processor's store "
                    + processor.store().getClass().getName() + " does not implement InboxStore");
        }
        return inbox;
    }

    /** Refuses what the store cannot serve; logs settings that will have no effect. */
    static void checkBuild(WebhookProcessor processor, int transactionBatchSize) {
        if (transactionBatchSize > 1 && !(processor.store() instanceof TransactionalStore)) {
            throw new HookwiseConfigurationException("transactionBatchSize(" + transactionBatchSize + ") runs"
                    + " transactional handlers' events in one transaction of the store, but the processor's store "
                    + processor.store().getClass().getSimpleName() + " does not implement TransactionalStore:"
                    + " use JdbcIdempotencyStore from webhook-jdbc, or leave transactionBatchSize at 1");
        }
        if (transactionBatchSize > 1 && !processor.handlers().hasTransactionalHandlers()) {
            log.info("transactionBatchSize({}) has no effect: no transactional handler is registered",
                    transactionBatchSize);
        }
        if (processor.mode() != ProcessingMode.ASYNC) {
            log.info("an InboxWorker on a synchronous processor only drains events left FAILED or QUEUED");
        }
    }
}
