package dev.hookwise.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.Outcome;
import dev.hookwise.core.operations.WebhookHealth;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.spring.actuate.HookwiseHealthIndicator;
import dev.hookwise.spring.autoconfigure.HookwiseHealthStatusOrder;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The mapping of the core's three levels to Actuator statuses, and the status order Hookwise contributes. */
class HookwiseHealthIndicatorTest {
    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final IdempotencyStore store = (IdempotencyStore) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {IdempotencyStore.class}, (proxy, method, args) -> {
                if (storeDown.get()) {
                    throw new StoreUnavailableException("connection refused");
                }
                return dev.hookwise.core.spi.Backlog.EMPTY;
            });
    private final WebhookHealth core = WebhookHealth.builder(store).build();
    private final HookwiseHealthIndicator indicator = new HookwiseHealthIndicator(core);

    @Test
    void upIsUpWithTheFigures() {
        Health health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("store", "reachable").doesNotContainKey("problems");
    }

    @Test
    void degradedIsItsOwnStatusWithTheProblems() {
        core.onHandled("invoice.paid", Outcome.FAILED_PERMANENT, Duration.ofMillis(1), true);
        Health health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(HookwiseHealthIndicator.DEGRADED);
        assertThat(health.getStatus().getCode()).isEqualTo("DEGRADED");
        assertThat(health.getDetails()).containsEntry("deadInWindow", 1L);
        assertThat((List<?>) health.getDetails().get("problems")).hasSize(2);
    }

    @Test
    void anUnreachableStoreIsDown() {
        storeDown.set(true);
        Health health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("store", "unreachable");
    }

    @Test
    void ranksDegradedBetweenOutOfServiceAndUpUnlessTheApplicationChoseAnOrder() {
        StandardEnvironment plain = new StandardEnvironment();
        new HookwiseHealthStatusOrder().postProcessEnvironment(plain, new SpringApplication());
        assertThat(plain.getProperty("management.endpoint.health.status.order")).isEqualTo("DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN");

        StandardEnvironment own = new StandardEnvironment();
        own.getPropertySources().addFirst(new MapPropertySource("app", Map.of("management.endpoint.health.status.order", "DOWN,UP")));
        new HookwiseHealthStatusOrder().postProcessEnvironment(own, new SpringApplication());
        assertThat(own.getProperty("management.endpoint.health.status.order")).isEqualTo("DOWN,UP");
    }
}
