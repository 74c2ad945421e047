package dev.hookwise.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.hookwise.core.WebhookProcessor;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.UnavailableException;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class HookwiseServletInitTest {
    private final ServletContext context = mock(ServletContext.class);
    private final ServletConfig config = mock(ServletConfig.class);

    HookwiseServletInitTest() {
        when(config.getServletContext()).thenReturn(context);
        when(config.getServletName()).thenReturn("stripe");
    }

    @Test
    void missingAttributeIsNamedWithWhatToDo() {
        HookwiseServlet servlet = new HookwiseServlet();

        assertThatThrownBy(() -> servlet.init(config))
                .isInstanceOf(UnavailableException.class)
                .satisfies(e -> assertThat(((UnavailableException) e).isPermanent()).isTrue())
                .hasMessageContaining("no WebhookProcessor in servlet context attribute '" + HookwiseServlet.PROCESSOR_ATTRIBUTE + "'")
                .hasMessageContaining("servlet 'stripe'")
                .hasMessageContaining("ServletContextListener");
    }

    @Test
    void attributeOfTheWrongTypeIsNamedWithItsType() {
        when(config.getInitParameter(HookwiseServlet.PROCESSOR_ATTRIBUTE_PARAMETER)).thenReturn(" thin-events ");
        when(context.getAttribute("thin-events")).thenReturn("not a processor");

        assertThatThrownBy(() -> new HookwiseServlet().init(config))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("attribute 'thin-events' holds a java.lang.String, not a WebhookProcessor");
    }

    @Test
    void processorGivenToTheConstructorIgnoresTheServletContext() throws Exception {
        HookwiseServlet servlet = new HookwiseServlet(WebhookProcessor.builder().signingSecrets("whsec_init_test_0123456789").build());

        servlet.init(config);

        assertThat(servlet.toString()).isEqualTo("HookwiseServlet[processor given]");
    }

    @Test
    void readsAtMostOneByteMoreThanTheLimit() throws Exception {
        ByteArrayInputStream exactly = new ByteArrayInputStream(new byte[10]);
        ByteArrayInputStream longer = new ByteArrayInputStream(new byte[25]);

        assertThat(HookwiseServlet.readAtMost(exactly, 10)).hasSize(10);
        assertThat(HookwiseServlet.readAtMost(longer, 10)).isNull();
        assertThat(longer.available()).isEqualTo(14);
    }
}
