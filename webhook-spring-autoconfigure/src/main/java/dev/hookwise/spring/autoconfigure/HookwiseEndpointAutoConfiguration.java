package dev.hookwise.spring.autoconfigure;

import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.operations.EventReplayer;
import dev.hookwise.core.operations.WebhookReports;
import dev.hookwise.spring.actuate.HookwiseEndpoint;
import dev.hookwise.spring.actuate.HookwiseEndpointWebExtension;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code hookwise} Actuator endpoint (failed events, reports, replay). The bean exists only
 * when the endpoint is available, that is exposed by the application, e.g.
 * {@code management.endpoints.web.exposure.include=health,hookwise}; nothing is exposed by default.
 * Once exposed it is read-only unless the application grants more
 * ({@code management.endpoint.hookwise.access=unrestricted} enables replay): see {@link HookwiseEndpoint}.
 */
@AutoConfiguration(after = HookwiseAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(WebhookProcessor.class)
public final class HookwiseEndpointAutoConfiguration {

    /** Replays failed events through the processor. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(HookwiseEndpoint.class)
    public EventReplayer hookwiseEventReplayer(WebhookProcessor processor) {
        return EventReplayer.of(processor);
    }

    /** The endpoint. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(HookwiseEndpoint.class)
    public HookwiseEndpoint hookwiseEndpoint(WebhookProcessor processor, EventReplayer replayer, ObjectProvider<Clock> clock) {
        return new HookwiseEndpoint(processor.store(), replayer, WebhookReports.of(processor.store()),
                clock.getIfAvailable(Clock::systemUTC));
    }

    /** Answers a bad window or event id over HTTP with a 400 and a machine-readable reason. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(HookwiseEndpoint.class)
    @ConditionalOnAvailableEndpoint(endpoint = HookwiseEndpoint.class, exposure = EndpointExposure.WEB)
    public HookwiseEndpointWebExtension hookwiseEndpointWebExtension(HookwiseEndpoint endpoint) {
        return new HookwiseEndpointWebExtension(endpoint);
    }
}
