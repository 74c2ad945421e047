package dev.hookwise.samples.bomconsumer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The starter's promise for an application that has no database: it does not start on an
 * in-memory event log that would lose events on restart, it stops and Spring Boot says what to
 * configure. Here H2 is hidden from the application's class loader and no URL is set.
 */
class StarterWithoutDatabaseTest {

    @Test
    void applicationWithoutADatabaseDoesNotStartAndIsToldToConfigureOne() {
        SpringApplication app = new SpringApplication(BomConsumerApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setResourceLoader(new DefaultResourceLoader(new FilteredClassLoader("org.h2")));
        app.setDefaultProperties(Map.<String, Object>of("hookwise.stripe.signing-secrets", "whsec_bom_consumer_test"));

        assertThatThrownBy(() -> app.run().close())
                .hasStackTraceContaining("DataSource")
                .hasStackTraceContaining("Failed to determine a suitable driver class");
    }
}
