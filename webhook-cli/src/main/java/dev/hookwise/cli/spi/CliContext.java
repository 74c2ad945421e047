package dev.hookwise.cli.spi;

import com.stripe.StripeClient;
import dev.hookwise.core.spi.state.StateStore;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * What the CLI gives an extension to build its reconcilers with: the same database, Stripe client
 * and clock the command uses.
 *
 * @since 0.2.0
 */
public interface CliContext {

    /** The pool onto the event log's database (the application's tables are usually there too). */
    DataSource dataSource();

    /** The table prefix of the event log and the state tables ({@code --table-prefix}). */
    String tablePrefix();

    /**
     * The state tables on {@link #dataSource()} with {@link #tablePrefix()}. While
     * {@link #corrections()} is false it writes nothing: a transition answers what the store would
     * decide, so a {@code StateStoreReconciler} built on it reports the corrections it would make.
     */
    StateStore stateStore();

    /** Stripe, with the key and API base the CLI was given. */
    StripeClient stripe();

    /** The CLI's clock. */
    Clock clock();

    /** Whether the reconcilers may correct drift now (the operator confirmed), or only report it. */
    boolean corrections();
}
