package dev.hookwise.spring.autoconfigure;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Ranks the {@code hookwise} health component's {@code DEGRADED} status between
 * {@code OUT_OF_SERVICE} and {@code UP} when aggregating {@code /actuator/health}.
 *
 * <p>The hazard: Boot's aggregator ranks a status missing from
 * {@code management.endpoint.health.status.order} above every listed one, so without this an
 * application whose database is DOWN while Hookwise is DEGRADED would report DEGRADED overall and
 * answer 200. The order goes into the default properties, the lowest-priority source, and only
 * when the application has not set the property itself (then it should list DEGRADED before UP).
 */
public final class HookwiseHealthStatusOrder implements EnvironmentPostProcessor, Ordered {
    static final String PROPERTY = "management.endpoint.health.status.order";
    static final String ORDER = "DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.containsProperty(PROPERTY)) {
            DefaultPropertiesPropertySource.addOrMerge(Map.of(PROPERTY, ORDER), environment.getPropertySources());
        }
    }

    /** Last, so that the application's own configuration files have been read. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
