package dev.hookwise.spring.actuate;

import dev.hookwise.core.WebhookHealth;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports the core's {@link WebhookHealth} as an Actuator health indicator named {@code hookwise}:
 * DOWN when the event store is unreachable, the backlog is at or above
 * {@code hookwise.health.backlog-threshold}, or handler failures in the window exceed
 * {@code hookwise.health.failure-rate-threshold}. The details carry the figures and each problem.
 */
public final class HookwiseHealthIndicator implements HealthIndicator {
    private final WebhookHealth health;

    public HookwiseHealthIndicator(WebhookHealth health) {
        this.health = Objects.requireNonNull(health, "health");
    }

    @Override
    public Health health() {
        WebhookHealth.HealthReport report = health.check();
        Health.Builder builder = report.status() == WebhookHealth.Status.UP ? Health.up() : Health.down();
        builder.withDetails(report.details());
        if (!report.problems().isEmpty()) {
            builder.withDetail("problems", report.problems());
        }
        return builder.build();
    }
}
