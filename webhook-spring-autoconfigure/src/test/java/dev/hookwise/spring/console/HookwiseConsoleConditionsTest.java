package dev.hookwise.spring.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.spring.autoconfigure.HookwiseAutoConfiguration;
import dev.hookwise.spring.autoconfigure.HookwiseConsoleAutoConfiguration;
import dev.hookwise.spring.autoconfigure.HookwiseFailureAnalyzer;
import dev.hookwise.spring.autoconfigure.HookwiseWebMvcAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.web.SecurityFilterChain;

/**
 * When the console exists, and when start-up refuses it: enabled/disabled, refused without Spring
 * Security or with a security configuration that lets anonymous users in, accepted when Spring
 * Security refuses them or when {@code allow-unauthenticated} says something else protects it.
 */
class HookwiseConsoleConditionsTest {
    private static final AutoConfigurations HOOKWISE = AutoConfigurations.of(HookwiseAutoConfiguration.class,
            HookwiseWebMvcAutoConfiguration.class, HookwiseConsoleAutoConfiguration.class);
    private static final String SECRET = "hookwise.stripe.signing-secrets=whsec_console_conditions";
    private static final String ENABLED = "hookwise.console.enabled=true";

    private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(HOOKWISE)
            .withPropertyValues(SECRET);

    @Test
    void disabledByDefault() {
        web.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(HookwiseConsole.class);
            assertThat(context).doesNotHaveBean("hookwiseConsoleRoute");
            assertThat(context).doesNotHaveBean(ConsoleAccessCheck.class);
        });
    }

    @Test
    void disabledExplicitlyNeedsNoSecurity() {
        web.withPropertyValues("hookwise.console.enabled=false", "hookwise.console.allow-unauthenticated=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(HookwiseConsole.class));
    }

    @Test
    void refusedWithoutSpringSecurityOnTheClasspath() {
        web.withPropertyValues(ENABLED).withClassLoader(new FilteredClassLoader("org.springframework.security"))
                .run(refused("Spring Security (spring-security-web) is not on the classpath"));
    }

    @Test
    void refusedWhenSpringSecurityIsPresentButNotConfigured() {
        web.withPropertyValues(ENABLED).run(refused("its web security is not configured"));
    }

    @Test
    void refusedWhenTheChainPermitsTheConsole() {
        web.withPropertyValues(ENABLED).withUserConfiguration(PermitsConsole.class)
                .run(refused("lets an anonymous user GET /hookwise"));
    }

    @Test
    void refusedWhenNoChainMatchesTheConsole() {
        web.withPropertyValues(ENABLED).withUserConfiguration(ProtectsOnlyApi.class)
                .run(refused("lets an anonymous user GET /hookwise (no SecurityFilterChain matches it"));
    }

    @Test
    void refusedWhenSpringSecurityIgnoresTheConsole() {
        web.withPropertyValues(ENABLED).withUserConfiguration(AuthenticatedEverywhere.class, IgnoresConsole.class)
                .run(refused("lets an anonymous user GET /hookwise"));
    }

    @Test
    void refusedWhenOnlyThePageIsProtectedAndReplayIsOpen() {
        web.withPropertyValues(ENABLED).withUserConfiguration(ProtectsOnlyReads.class)
                .run(refused("lets an anonymous user POST /hookwise/api/events/"));
    }

    @Test
    void servedWhenSpringSecurityRequiresAnAuthenticatedUser() {
        web.withPropertyValues(ENABLED).withUserConfiguration(AuthenticatedEverywhere.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(HookwiseConsole.class);
            assertThat(context).hasBean("hookwiseConsoleRoute");
            assertThat(context.getBean(ConsoleAccessCheck.class).verdict().protectedBySpringSecurity()).isTrue();
        });
    }

    @Test
    void servedWhenTheConsoleNeedsARole() {
        web.withPropertyValues(ENABLED).withUserConfiguration(ConsoleNeedsRole.class)
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(HookwiseConsole.class));
    }

    @Test
    void theCheckFollowsTheConfiguredPath() {
        web.withPropertyValues(ENABLED, "hookwise.console.path=/ops/hookwise").withUserConfiguration(ConsoleNeedsRole.class)
                .run(refused("lets an anonymous user GET /ops/hookwise"));
        web.withPropertyValues(ENABLED, "hookwise.console.path=/ops/hookwise").withUserConfiguration(OpsNeedsRole.class)
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(HookwiseConsole.class));
    }

    @Test
    void allowUnauthenticatedServesTheConsoleWithoutSpringSecurity() {
        web.withPropertyValues(ENABLED, "hookwise.console.allow-unauthenticated=true")
                .withClassLoader(new FilteredClassLoader("org.springframework.security")).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(HookwiseConsole.class);
                    assertThat(context.getBean(ConsoleAccessCheck.class).verdict().protectedBySpringSecurity()).isFalse();
                });
    }

    @Test
    void allowUnauthenticatedServesTheConsoleDespiteAPermissiveChain() {
        web.withPropertyValues(ENABLED, "hookwise.console.allow-unauthenticated=true").withUserConfiguration(PermitsConsole.class)
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(HookwiseConsole.class));
    }

    @Test
    void refusedInAReactiveApplication() {
        new ReactiveWebApplicationContextRunner().withConfiguration(HOOKWISE).withPropertyValues(SECRET, ENABLED,
                "hookwise.console.allow-unauthenticated=true").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).isInstanceOf(HookwiseConfigurationException.class)
                            .hasMessageContaining("reactive (WebFlux)").hasMessageContaining("remove hookwise.console.enabled");
                });
    }

    @Test
    void refusedInANonWebApplication() {
        new ApplicationContextRunner().withConfiguration(HOOKWISE).withPropertyValues(SECRET, ENABLED).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(HookwiseConfigurationException.class)
                    .hasMessageContaining("not a web application");
        });
    }

    @Test
    void refusesAPathThatIsNotAPlainPath() {
        web.withPropertyValues(ENABLED, "hookwise.console.allow-unauthenticated=true", "hookwise.console.path=/ops/**")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(HookwiseConfigurationException.class)
                            .hasMessageContaining("hookwise.console.path must be a path such as /hookwise")
                            .hasMessageContaining("'/ops/**'");
                });
    }

    @Test
    void theRefusalIsExplainedByTheFailureAnalyzer() {
        web.withPropertyValues(ENABLED).run(context -> {
            FailureAnalysis analysis = new HookwiseFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("the console at /hookwise is not protected")
                    .contains("hookwise.console.allow-unauthenticated=true");
        });
    }

    private static ContextConsumer<AssertableWebApplicationContext> refused(String reason) {
        return context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(HookwiseConfigurationException.class)
                    .hasMessageContaining("hookwise.console.enabled=true, but the console at")
                    .hasMessageContaining(reason)
                    // both ways out
                    .hasMessageContaining("protect it with Spring Security")
                    .hasMessageContaining("set hookwise.console.allow-unauthenticated=true");
        };
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebSecurity
    static class AuthenticatedEverywhere {
        @Bean
        SecurityFilterChain chain(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(a -> a.anyRequest().authenticated()).httpBasic(Customizer.withDefaults()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebSecurity
    static class PermitsConsole {
        @Bean
        SecurityFilterChain chain(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(a -> a.requestMatchers("/hookwise/**", "/hookwise").permitAll()
                    .anyRequest().authenticated()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebSecurity
    static class ProtectsOnlyApi {
        @Bean
        SecurityFilterChain chain(HttpSecurity http) throws Exception {
            return http.securityMatcher("/api/**").authorizeHttpRequests(a -> a.anyRequest().authenticated()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class IgnoresConsole {
        @Bean
        WebSecurityCustomizer ignoreConsole() {
            return web -> web.ignoring().requestMatchers("/hookwise", "/hookwise/**");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebSecurity
    static class ProtectsOnlyReads {
        @Bean
        SecurityFilterChain chain(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(a -> a.requestMatchers(HttpMethod.POST, "/**").permitAll()
                    .anyRequest().authenticated()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebSecurity
    static class ConsoleNeedsRole {
        @Bean
        SecurityFilterChain chain(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(a -> a.requestMatchers("/hookwise", "/hookwise/**").hasRole("OPS")
                    .anyRequest().permitAll()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebSecurity
    static class OpsNeedsRole {
        @Bean
        SecurityFilterChain chain(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(a -> a.requestMatchers("/ops/**").hasRole("OPS").anyRequest().permitAll()).build();
        }
    }
}
