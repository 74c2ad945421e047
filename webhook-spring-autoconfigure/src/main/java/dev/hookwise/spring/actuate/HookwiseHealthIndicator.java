package dev.hookwise.spring.actuate;

import dev.hookwise.core.operations.WebhookHealth;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Reports the core's {@link WebhookHealth} as an Actuator health indicator named {@code hookwise},
 * with the status an orchestrator should act on:
 * <ul>
 *   <li>{@code DOWN} (HTTP 503 from {@code /actuator/health}) when the event store is unreachable:
 *       deliveries cannot be accepted, so taking the instance out is right;</li>
 *   <li>{@link #DEGRADED} (HTTP 200) when handler failures in {@code hookwise.health.window} exceed
 *       {@code hookwise.health.failure-rate-threshold}, events became dead in that window, the backlog
 *       is at or above {@code hookwise.health.backlog-threshold} or kept growing for
 *       {@code hookwise.health.backlog-growth-period}, the oldest pending event is older than
 *       {@code hookwise.health.max-oldest-pending-age}, or handler runs are stuck. A load balancer
 *       must not drop an instance because some events failed: the instance still receives and
 *       records every delivery, and an operator replays what failed;</li>
 *   <li>{@code UP} otherwise.</li>
 * </ul>
 * The details carry the figures and each problem. Boot answers 200 for any status it has no
 * HTTP mapping for, and Hookwise ranks DEGRADED between OUT_OF_SERVICE and UP in
 * {@code management.endpoint.health.status.order} (unless the application sets that property
 * itself, which should then list DEGRADED before UP): an application whose database is DOWN stays
 * DOWN overall.
 */
public final class HookwiseHealthIndicator implements HealthIndicator {
    /** The status for {@link WebhookHealth.Status#DEGRADED}: working, but an operator should look. */
    public static final Status DEGRADED = new Status("DEGRADED",
            "Webhooks are received, but failures, dead events, the backlog or stuck handlers need an operator");

    private final WebhookHealth health;

    public HookwiseHealthIndicator(WebhookHealth health) {
        this.health = Objects.requireNonNull(health, "health");
    }

    @Override
    public Health health() {
        WebhookHealth.HealthReport report = health.check();
        Health.Builder builder = switch (report.status()) {
            case UP -> Health.up();
            case DEGRADED -> Health.status(DEGRADED);
            case DOWN -> Health.down();
        };
        builder.withDetails(report.details());
        if (!report.problems().isEmpty()) {
            builder.withDetail("problems", report.problems());
        }
        return builder.build();
    }
}
