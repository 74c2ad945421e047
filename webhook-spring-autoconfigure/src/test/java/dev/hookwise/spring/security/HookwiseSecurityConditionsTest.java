package dev.hookwise.spring.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.spring.autoconfigure.HookwiseAutoConfiguration;
import dev.hookwise.spring.autoconfigure.HookwiseSecurityAutoConfiguration;
import dev.hookwise.spring.autoconfigure.HookwiseWebMvcAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * When the starter adds its webhook {@link SecurityFilterChain}: only in a servlet application with
 * Spring Security's web configuration, not without Spring Security on the classpath, not with
 * {@code hookwise.security.enabled=false}, not when the application defines a bean of the same name;
 * and the chain it adds matches POSTs to the webhook path only, ahead of the application's chain.
 */
class HookwiseSecurityConditionsTest {
    private static final String CHAIN = "hookwiseSecurityFilterChain";
    private static final AutoConfigurations HOOKWISE = AutoConfigurations.of(HookwiseAutoConfiguration.class,
            HookwiseWebMvcAutoConfiguration.class, HookwiseSecurityAutoConfiguration.class);

    private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(HOOKWISE)
            .withPropertyValues("hookwise.stripe.signing-secrets=whsec_security_conditions");

    @Test
    void addedWithSpringSecurityWebConfiguration() {
        web.withUserConfiguration(AppSecurity.class).run(context -> {
            assertThat(context).hasNotFailed().hasBean(CHAIN);
            SecurityFilterChain chain = context.getBean(CHAIN, SecurityFilterChain.class);
            assertThat(chain.matches(request("POST", "/stripe/webhook"))).isTrue();
            assertThat(chain.matches(request("GET", "/stripe/webhook"))).isFalse();
            assertThat(chain.matches(request("POST", "/orders"))).isFalse();
            assertThat(chain.matches(request("POST", "/stripe/webhook/other"))).isFalse();
            assertThat(chain.getFilters()).noneMatch(CsrfFilter.class::isInstance);
            // The proxy asks ours first: the application's chain (matching everything) comes after it.
            assertThat(context.getBean(FilterChainProxy.class).getFilterChains()).first().isSameAs(chain);
        });
    }

    @Test
    void followsTheWebhookPath() {
        web.withUserConfiguration(AppSecurity.class).withPropertyValues("hookwise.path=/hooks/stripe").run(context -> {
            SecurityFilterChain chain = context.getBean(CHAIN, SecurityFilterChain.class);
            assertThat(chain.matches(request("POST", "/hooks/stripe"))).isTrue();
            assertThat(chain.matches(request("POST", "/stripe/webhook"))).isFalse();
        });
    }

    @Test
    void notAddedWithoutSpringSecurityOnTheClasspath() {
        web.withClassLoader(new FilteredClassLoader("org.springframework.security"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CHAIN));
    }

    @Test
    void notAddedWithoutSpringSecurityConfigClasses() {
        web.withClassLoader(new FilteredClassLoader(HttpSecurity.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CHAIN));
    }

    @Test
    void notAddedWhenWebSecurityIsNotConfigured() {
        web.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CHAIN).doesNotHaveBean(SecurityFilterChain.class));
    }

    @Test
    void notAddedWhenSwitchedOff() {
        web.withUserConfiguration(AppSecurity.class).withPropertyValues("hookwise.security.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CHAIN));
    }

    @Test
    void notAddedWhenHookwiseIsOff() {
        web.withUserConfiguration(AppSecurity.class).withPropertyValues("hookwise.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CHAIN));
    }

    @Test
    void backsOffForTheApplicationsBeanOfTheSameName() {
        web.withUserConfiguration(AppSecurity.class, OwnWebhookChain.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(CHAIN)).isSameAs(context.getBean(OwnWebhookChain.class).mine);
        });
    }

    @Test
    void notAddedOutsideAServletApplication() {
        new ApplicationContextRunner().withConfiguration(HOOKWISE)
                .withPropertyValues("hookwise.stripe.signing-secrets=whsec_security_conditions")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CHAIN));
    }

    private static MockHttpServletRequest request(String method, String path) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setServletPath(path);
        return request;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebSecurity
    static class AppSecurity {
        @Bean
        SecurityFilterChain appChain(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(a -> a.anyRequest().authenticated()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnWebhookChain {
        final SecurityFilterChain mine = new DefaultSecurityFilterChain(
                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/stripe/webhook"));

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        SecurityFilterChain hookwiseSecurityFilterChain() {
            return mine;
        }
    }
}
