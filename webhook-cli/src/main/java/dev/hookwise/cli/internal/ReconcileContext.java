package dev.hookwise.cli.internal;

import com.stripe.StripeClient;
import dev.hookwise.cli.spi.CliContext;
import dev.hookwise.core.spi.state.StateStore;
import java.time.Clock;
import java.util.function.Supplier;
import javax.sql.DataSource;

/** The {@link CliContext} of one reconcile phase; Stripe is only asked for (and its key only needed) when used. */
public final class ReconcileContext implements CliContext {
    private final EventLog log;
    private final Supplier<StripeClient> stripe;
    private final Clock clock;
    private final boolean corrections;

    public ReconcileContext(EventLog log, Supplier<StripeClient> stripe, Clock clock, boolean corrections) {
        this.log = log;
        this.stripe = stripe;
        this.clock = clock;
        this.corrections = corrections;
    }

    @Override
    public DataSource dataSource() {
        return log.dataSource();
    }

    @Override
    public String tablePrefix() {
        return log.tablePrefix();
    }

    @Override
    public StateStore stateStore() {
        return corrections ? log.stateStore() : new PreviewStateStore(log.stateStore());
    }

    @Override
    public StripeClient stripe() {
        return stripe.get();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public boolean corrections() {
        return corrections;
    }
}
