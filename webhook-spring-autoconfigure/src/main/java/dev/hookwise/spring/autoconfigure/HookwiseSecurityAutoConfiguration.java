package dev.hookwise.spring.autoconfigure;

import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.spring.HookwiseProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Lets Stripe through Spring Security: in a servlet application with Spring Security's web
 * configuration ({@code @EnableWebSecurity}, or Boot's security auto-configuration), a
 * {@link SecurityFilterChain} that matches only {@code POST} to {@code hookwise.path} and permits it
 * without a login, a CSRF token or a session. Stripe cannot log in or send a CSRF token; the
 * signature, checked by the endpoint, is what authenticates the request. The chain is ordered
 * ({@link #ORDER}) before the application's own chains, so those keep deciding about every other
 * request; nothing else is changed.
 *
 * <p>It runs after Boot's security auto-configurations on purpose: Boot's default chain (everything
 * needs a login) backs off when any {@code SecurityFilterChain} bean exists, so ours must not be seen
 * before that decision. Off with {@code hookwise.security.enabled=false}; replaced by a bean named
 * {@code hookwiseSecurityFilterChain}.
 */
@AutoConfiguration(after = HookwiseAutoConfiguration.class, afterName = {
        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({HttpSecurity.class, SecurityFilterChain.class, PathPatternRequestMatcher.class})
@ConditionalOnBean({WebhookProcessor.class, HttpSecurity.class})
@ConditionalOnProperty(prefix = "hookwise.security", name = "enabled", matchIfMissing = true)
public final class HookwiseSecurityAutoConfiguration {

    /**
     * Order of the webhook's chain: close to the front, with room for chains that must come first.
     * Chains without an {@code @Order} come last, Boot's default one just before them.
     */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    /** {@code POST hookwise.path}: permitted, no CSRF check, no session. */
    @Bean
    @Order(ORDER)
    @ConditionalOnMissingBean(name = "hookwiseSecurityFilterChain")
    SecurityFilterChain hookwiseSecurityFilterChain(HttpSecurity http, HookwiseProperties properties) throws Exception {
        return http
                .securityMatcher(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, properties.getPath()))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .build();
    }
}
