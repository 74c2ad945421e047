package dev.hookwise.spring.autoconfigure;

import dev.hookwise.core.HookwiseConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link HookwiseConfigurationException} that stopped start-up into Spring Boot's
 * "APPLICATION FAILED TO START" report: what is wrong (the exception's message, which names the
 * property and never a secret's value) and what to do; transactional handlers that could not commit
 * with the event get their own advice. Registered in {@code META-INF/spring.factories}.
 */
public final class HookwiseFailureAnalyzer extends AbstractFailureAnalyzer<HookwiseConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, HookwiseConfigurationException cause) {
        if (cause instanceof TransactionalHandlersException) {
            return new FailureAnalysis("Hookwise cannot run transactional handlers: " + cause.getMessage(),
                    "Change what the message above names (see \"Transactional handlers\" in the Hookwise Spring Boot"
                            + " README): the event log, the handlers' JdbcTemplate/JdbcClient/JPA and the"
                            + " PlatformTransactionManager must share one DataSource. Handlers that call other systems"
                            + " belong in plain handlers (transactional = false).",
                    cause);
        }
        return new FailureAnalysis("Hookwise is not configured correctly: " + cause.getMessage(),
                "Fix the hookwise.* setting named above (see the Hookwise Spring Boot README for every property)."
                        + " The minimum is one property: hookwise.stripe.signing-secrets=whsec_… from the Stripe"
                        + " Dashboard, or from `stripe listen` in development.",
                cause);
    }
}
