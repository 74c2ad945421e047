package dev.hookwise.spring.autoconfigure;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.operations.EventReplayer;
import dev.hookwise.spring.HookwiseProperties;
import dev.hookwise.spring.console.ConsoleAccessCheck;
import dev.hookwise.spring.console.HookwiseConsole;
import java.time.Clock;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The operators' web console, only with {@code hookwise.console.enabled=true}: a page at
 * {@code hookwise.console.path} (default {@code /hookwise}) in a Spring MVC application. Start-up
 * fails unless Spring Security refuses anonymous users the console or
 * {@code hookwise.console.allow-unauthenticated=true} says something else protects it
 * ({@link ConsoleAccessCheck}). In a WebFlux or non-web application, enabling it fails start-up too,
 * rather than leaving an operator looking for a page that is not there.
 */
@AutoConfiguration(after = HookwiseAutoConfiguration.class)
@ConditionalOnBean(WebhookProcessor.class)
@ConditionalOnProperty(prefix = "hookwise.console", name = "enabled", havingValue = "true")
public final class HookwiseConsoleAutoConfiguration {

    /** Spring MVC: the console and its routes. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass({RouterFunction.class, jakarta.servlet.http.HttpServletRequest.class})
    static class Servlet {

        /** Refuses start-up when nobody protects the console. */
        @Bean
        static ConsoleAccessCheck hookwiseConsoleAccessCheck(HookwiseProperties properties, ListableBeanFactory beans) {
            HookwiseProperties.Console console = properties.getConsole();
            return new ConsoleAccessCheck(PathCheck.path(console.getPath()), console.isAllowUnauthenticated(), beans);
        }

        /** The console's handlers. */
        @Bean
        @ConditionalOnMissingBean
        HookwiseConsole hookwiseConsole(HookwiseProperties properties, WebhookProcessor processor,
                ObjectProvider<EventReplayer> replayer, ObjectProvider<Clock> clock) {
            return new HookwiseConsole(processor.store(), replayer.getIfAvailable(() -> EventReplayer.of(processor)),
                    clock.getIfAvailable(Clock::systemUTC), PathCheck.path(properties.getConsole().getPath()));
        }

        /** Its routes: the page, its script and styles, and its JSON. */
        @Bean
        @ConditionalOnMissingBean(name = "hookwiseConsoleRoute")
        RouterFunction<ServerResponse> hookwiseConsoleRoute(HookwiseConsole console) {
            return console.routes();
        }
    }

    /** WebFlux or no web server: the console cannot be served, so enabling it is a mistake. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnNotWebApplication
    static class NotWeb {
        @Bean
        static SmartInitializingSingleton hookwiseConsoleUnavailable() {
            return NotWeb::refuse;
        }

        @SuppressWarnings("DoNotCallSuggester") // Spring calls it (the callback above) to stop the start-up
        static void refuse() {
            throw new HookwiseConfigurationException("hookwise.console.enabled=true, but this is not a web application;"
                    + " the console is served by Spring MVC: remove hookwise.console.enabled or add spring-boot-starter-webmvc");
        }
    }

    /** WebFlux: the console needs Spring MVC. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    static class Reactive {
        @Bean
        static SmartInitializingSingleton hookwiseConsoleUnavailable() {
            return () -> {
                throw new HookwiseConfigurationException("hookwise.console.enabled=true, but this is a reactive (WebFlux)"
                        + " application and the console is served by Spring MVC only: remove hookwise.console.enabled, or"
                        + " use the hookwise Actuator endpoint (failed events, reports, replay)");
            };
        }
    }

    /** One check of the console path. */
    static final class PathCheck {
        private PathCheck() {}

        static String path(String path) {
            if (path == null || !path.startsWith("/") || path.length() < 2 || path.endsWith("/") || path.contains("*")
                    || path.contains("{") || path.contains("..")) {
                throw new HookwiseConfigurationException("hookwise.console.path must be a path such as /hookwise (starting"
                        + " with /, not ending with /, no wildcards or variables), but was '" + path + "'");
            }
            return path;
        }
    }
}
