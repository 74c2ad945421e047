package dev.hookwise.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.spring.autoconfigure.HookwiseFailureAnalyzer;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

class HookwiseFailureAnalyzerTest {

    @Test
    void describesTheMistakeAndTheFix() {
        BeanCreationException failure = new BeanCreationException("hookwiseWebhookProcessor", "creation failed",
                new HookwiseConfigurationException("no signing secret configured: set hookwise.stripe.signing-secrets"));

        FailureAnalysis analysis = new HookwiseFailureAnalyzer().analyze(failure);

        assertThat(analysis.getDescription()).contains("no signing secret configured")
                .contains("hookwise.stripe.signing-secrets");
        assertThat(analysis.getAction()).contains("hookwise.stripe.signing-secrets=whsec_");
    }

    @Test
    void ignoresOtherFailures() {
        assertThat(new HookwiseFailureAnalyzer().analyze(new IllegalStateException("x"))).isNull();
    }

    @Test
    void isRegisteredUnderTheFailureAnalyzerKey() throws Exception {
        boolean registered = false;
        var resources = getClass().getClassLoader().getResources("META-INF/spring.factories");
        while (resources.hasMoreElements()) {
            Properties factories = new Properties();
            try (var in = resources.nextElement().openStream()) {
                factories.load(in);
            }
            String analyzers = factories.getProperty(FailureAnalyzer.class.getName(), "");
            registered |= List.of(analyzers.split(",")).contains(HookwiseFailureAnalyzer.class.getName());
        }
        assertThat(registered).isTrue();
    }
}
