package dev.hookwise.spring.console;

import dev.hookwise.core.HookwiseConfigurationException;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.ClassUtils;

/**
 * Refuses to start an application whose web console nobody protects. The console replays events
 * (handlers run again: refunds, e-mails, shipments), so it is served only when one of these holds:
 *
 * <ul>
 *   <li><b>Spring Security protects it</b>: Spring Security's web security is configured (a
 *       {@code FilterChainProxy}, which {@code @EnableWebSecurity} and Spring Boot's security
 *       auto-configuration register) and refuses an anonymous user each of {@code GET {path}},
 *       {@code GET {path}/api/summary} and {@code POST {path}/api/events/{id}/replay}: for each, the
 *       first {@code SecurityFilterChain} that matches the request (as Spring Security picks it) has
 *       an {@code AuthorizationFilter} ({@code authorizeHttpRequests}) whose rules do not grant an
 *       anonymous user access. A path no chain matches, a chain without authorization rules
 *       ({@code web.ignoring()}, a chain that only sets headers) and {@code permitAll()} all count as
 *       unprotected;</li>
 *   <li>or the application says it protects the console some other way (a proxy that authenticates,
 *       a port only operators reach): {@code hookwise.console.allow-unauthenticated=true}. Start-up
 *       then logs a warning.</li>
 * </ul>
 *
 * <p>The check runs once, after every singleton exists (so every {@code SecurityFilterChain} is
 * built), and throws a {@link HookwiseConfigurationException} that names both ways out.
 */
public final class ConsoleAccessCheck implements SmartInitializingSingleton, BeanClassLoaderAware {
    private static final Logger log = LoggerFactory.getLogger(ConsoleAccessCheck.class);
    private static final String SECURITY_CLASS = "org.springframework.security.web.FilterChainProxy";

    /** What the check found. */
    public record Verdict(boolean protectedBySpringSecurity, String reason) {}

    private final String path;
    private final boolean allowUnauthenticated;
    private final ListableBeanFactory beans;
    private ClassLoader classLoader = ConsoleAccessCheck.class.getClassLoader();

    public ConsoleAccessCheck(String path, boolean allowUnauthenticated, ListableBeanFactory beans) {
        this.path = Objects.requireNonNull(path, "path");
        this.allowUnauthenticated = allowUnauthenticated;
        this.beans = Objects.requireNonNull(beans, "beans");
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Verdict verdict = verdict();
        if (verdict.protectedBySpringSecurity()) {
            log.info("Hookwise console at {}: {}", path, verdict.reason());
        } else if (allowUnauthenticated) {
            log.warn("Hookwise console at {} is served without Spring Security's protection ({}), because"
                    + " hookwise.console.allow-unauthenticated=true: anyone who reaches it can replay events", path,
                    verdict.reason());
        } else {
            throw new HookwiseConfigurationException("hookwise.console.enabled=true, but the console at " + path
                    + " is not protected: " + verdict.reason() + ". The console replays events, so either protect it"
                    + " with Spring Security (a SecurityFilterChain that requires an authenticated user for " + path
                    + " and " + path + "/**, e.g. authorizeHttpRequests(a -> a.requestMatchers(\"" + path + "/**\")"
                    + ".hasRole(\"OPS\"))), or, if something else protects it (a proxy that authenticates, a port only"
                    + " operators reach), set hookwise.console.allow-unauthenticated=true");
        }
    }

    /** Whether Spring Security refuses anonymous users every part of the console, and why (not). */
    public Verdict verdict() {
        if (!ClassUtils.isPresent(SECURITY_CLASS, classLoader)) {
            return new Verdict(false, "Spring Security (spring-security-web) is not on the classpath");
        }
        return SpringSecurityProbe.verdict(beans, probes());
    }

    /** The requests checked: the page, its JSON, and the replay (method, path without context path). */
    List<String[]> probes() {
        return List.of(new String[] {"GET", path}, new String[] {"GET", path + "/api/summary"},
                new String[] {"POST", path + "/api/events/evt_hookwise_console_check/replay"});
    }
}
