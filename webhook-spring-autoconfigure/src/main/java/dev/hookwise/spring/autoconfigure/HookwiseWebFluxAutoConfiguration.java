package dev.hookwise.spring.autoconfigure;

import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.spring.HookwiseProperties;
import dev.hookwise.spring.web.HookwiseReactiveEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Mounts the webhook endpoint ({@code POST ${hookwise.path}}) in a WebFlux application. The
 * pipeline blocks (stores, handlers), so it runs on the bounded-elastic scheduler.
 */
@AutoConfiguration(after = HookwiseAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({RouterFunction.class, reactor.core.publisher.Mono.class})
@ConditionalOnBean(WebhookProcessor.class)
public final class HookwiseWebFluxAutoConfiguration {

    /** The handler of the endpoint. */
    @Bean
    @ConditionalOnMissingBean
    public HookwiseReactiveEndpoint hookwiseReactiveEndpoint(WebhookProcessor processor) {
        return new HookwiseReactiveEndpoint(processor);
    }

    /** The route: {@code POST ${hookwise.path}} to {@link HookwiseReactiveEndpoint}. */
    @Bean
    @ConditionalOnMissingBean(name = "hookwiseWebhookRoute")
    public RouterFunction<ServerResponse> hookwiseWebhookRoute(HookwiseProperties properties, HookwiseReactiveEndpoint endpoint) {
        return RouterFunctions.route().POST(properties.getPath(), endpoint).build();
    }
}
