package dev.hookwise.spring.autoconfigure;

import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.spring.HookwiseProperties;
import dev.hookwise.spring.web.HookwiseServletEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Mounts the webhook endpoint ({@code POST ${hookwise.path}}) in a Spring MVC application, as a
 * functional route that reads the raw body bytes.
 */
@AutoConfiguration(after = HookwiseAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({RouterFunction.class, jakarta.servlet.http.HttpServletRequest.class})
@ConditionalOnBean(WebhookProcessor.class)
public final class HookwiseWebMvcAutoConfiguration {

    /** The handler of the endpoint. */
    @Bean
    @ConditionalOnMissingBean
    public HookwiseServletEndpoint hookwiseServletEndpoint(WebhookProcessor processor) {
        return new HookwiseServletEndpoint(processor);
    }

    /** The route: {@code POST ${hookwise.path}} to {@link HookwiseServletEndpoint}. */
    @Bean
    @ConditionalOnMissingBean(name = "hookwiseWebhookRoute")
    public RouterFunction<ServerResponse> hookwiseWebhookRoute(HookwiseProperties properties, HookwiseServletEndpoint endpoint) {
        return RouterFunctions.route().POST(properties.getPath(), endpoint).build();
    }
}
