package dev.hookwise.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional for webhook-core: a processor that was not given an
 * {@code ObservationRegistry} (or a {@code MeterRegistry}) builds and runs with no Micrometer class
 * on the classpath, in synchronous and asynchronous mode. Proven in a class loader over this test's
 * classpath minus every Micrometer jar, so a stray reference fails with NoClassDefFoundError here.
 */
class WithoutMicrometerTest {

    @Test
    void aProcessorWithoutObservationsBuildsAndRunsWithNoMicrometerOnTheClasspath() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = Arrays.asList(classpath.split(File.pathSeparator));
        assertThat(entries).as("the test's classpath lists Micrometer (else this proves nothing)")
                .anyMatch(WithoutMicrometerTest::isMicrometer);
        URL[] withoutMicrometer = entries.stream()
                .filter(e -> !e.isBlank() && !isMicrometer(e))
                .map(WithoutMicrometerTest::url)
                .toArray(URL[]::new);

        try (URLClassLoader loader = new URLClassLoader(withoutMicrometer, ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> Class.forName("io.micrometer.observation.ObservationRegistry", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> scenario = Class.forName(WithoutMicrometerScenario.class.getName(), true, loader);
            assertThat(scenario.getClassLoader()).isSameAs(loader);

            Object outcomes = scenario.getMethod("run").invoke(null);

            assertThat(outcomes).isEqualTo(List.of("processed", "duplicate", "queued", "drained 1", "runs 2"));
        }
    }

    private static boolean isMicrometer(String entry) {
        return Path.of(entry).getFileName().toString().startsWith("micrometer-");
    }

    private static URL url(String entry) {
        try {
            return Path.of(entry).toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(entry, e);
        }
    }
}
