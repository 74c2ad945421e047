package dev.hookwise.reliability;

import dev.hookwise.core.WebhookHandler;
import dev.hookwise.spring.HookwiseHandlerRegistration;
import dev.hookwise.spring.WebhookProcessorCustomizer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the reliability suite adds to the Spring Boot orders sample when it is the system under test
 * of a scenario whose faults the sample's own code does not have. The harness puts the reliability
 * module's classes on the sample's classpath only for those scenarios, and each part is off unless
 * its property is set, so the sample itself is unchanged:
 * <ul>
 *   <li>{@code reliability.handler-faults=true} (scenario 4): a plain handler for
 *       {@code payment_intent.succeeded} that acts out the event's {@code metadata.fault}
 *       ({@link Faults}: slow, hung, Error, heap) and then writes one row in
 *       {@code <prefix>effects}, beside the sample's own handlers.</li>
 *   <li>{@code reliability.overlap-check=true} (scenario 6): a plain handler that marks its event
 *       running while it works, recording two runs of one event at once.</li>
 *   <li>{@code reliability.clock-skew-ms} with {@code reliability.clock-skew-as} (scenario 6): this
 *       instance's clock that far ahead (+) or behind (-), as the processor's time source
 *       ({@code processor}: the store keeps to the database's time, as on a machine whose clock
 *       drifted), or as a {@link Clock} bean ({@code bean}: the starter gives it to the store too,
 *       whose leases then follow it instead of the database's time: the control).</li>
 * </ul>
 */
@AutoConfiguration
public class ReliabilityAutoConfiguration {

    /** Spring instantiates it. */
    public ReliabilityAutoConfiguration() {}

    /** Scenario 4's faulty handler. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "reliability.handler-faults", havingValue = "true")
    static class HandlerFaults {

        @Bean
        HookwiseHandlerRegistration reliabilityFaultyHandler(DataSource dataSource,
                @Value("${hookwise.store.table-prefix}") String prefix,
                @Value("${hookwise.lease-duration:30s}") Duration lease,
                @Value("${hookwise.instance-id:spring}") String instance) {
            WebhookHandler handler = ctx -> {
                Faults.act(ctx, lease);
                writeEffect(dataSource, prefix, ctx.eventId(), instance);
            };
            return HookwiseHandlerRegistration.of("payment_intent.succeeded", handler);
        }
    }

    /**
     * Scenario 6's handler: marks its event running for {@code reliability.work-ms}, so that two runs
     * of one event at the same time are recorded in {@code <prefix>overlaps}, and writes its effect row.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "reliability.overlap-check", havingValue = "true")
    static class OverlapCheck {

        @Bean
        HookwiseHandlerRegistration reliabilityOverlapCheck(DataSource dataSource,
                @Value("${hookwise.store.table-prefix}") String prefix,
                @Value("${reliability.work-ms:150}") long workMs,
                @Value("${hookwise.instance-id:spring}") String instance) {
            WebhookHandler handler = ctx -> {
                boolean marked = ServerUnderTest.markRunning(dataSource, prefix, ctx.eventId(), instance);
                Thread.sleep(workMs / 2);
                writeEffect(dataSource, prefix, ctx.eventId(), instance);
                Thread.sleep(workMs - workMs / 2);
                if (marked) {
                    ServerUnderTest.unmarkRunning(dataSource, prefix, ctx.eventId());
                }
            };
            return HookwiseHandlerRegistration.of("payment_intent.succeeded", handler);
        }
    }

    /** Scenario 6: the processor's clock set ahead or behind; the store stays on the database's time. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "reliability.clock-skew-as", havingValue = "processor")
    static class SkewedProcessorClock {

        @Bean
        WebhookProcessorCustomizer reliabilitySkewedClock(@Value("${reliability.clock-skew-ms}") long skewMs) {
            Clock skewed = Clock.offset(Clock.systemUTC(), Duration.ofMillis(skewMs));
            return builder -> builder.clock(skewed);
        }
    }

    /** Scenario 6's control: a skewed {@link Clock} bean, which the starter gives to the store as well. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "reliability.clock-skew-as", havingValue = "bean")
    static class SkewedClockBean {

        @Bean
        Clock reliabilitySkewedClockBean(@Value("${reliability.clock-skew-ms}") long skewMs) {
            return Clock.offset(Clock.systemUTC(), Duration.ofMillis(skewMs));
        }
    }

    /** The handler's effect: one row in {@code <prefix>effects}, a table without a unique key. */
    static void writeEffect(DataSource dataSource, String prefix, String eventId, String instance) throws SQLException {
        String insert = "INSERT INTO " + prefix + "effects (event_id, instance_name) VALUES (?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(insert)) {
            ps.setString(1, eventId);
            ps.setString(2, instance);
            ps.executeUpdate();
        }
    }
}
