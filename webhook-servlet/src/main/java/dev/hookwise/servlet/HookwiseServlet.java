package dev.hookwise.servlet;

import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookRequest;
import dev.hookwise.core.WebhookResponse;
import dev.hookwise.core.spi.EventSource;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hookwise webhook endpoint as a Jakarta Servlet, for Tomcat, Jetty, Dropwizard or any servlet
 * container, without Spring. It reads the raw body, passes it with the {@code Stripe-Signature}
 * header, the peer address and {@code X-Forwarded-For} to a {@link WebhookProcessor}, and writes the
 * processor's status, headers and small JSON body.
 *
 * <pre>{@code
 * // embedded Tomcat; Jetty, Dropwizard and web.xml in the module's README
 * Context context = tomcat.addContext("", null);
 * Tomcat.addServlet(context, "hookwise", new HookwiseServlet(processor));
 * context.addServletMappingDecoded("/stripe/webhook", "hookwise");
 * }</pre>
 *
 * <p>What it answers besides the processor's own answers (the JSON body always carries
 * {@code "outcome"}, never a stack trace):
 * <ul>
 *   <li>any method but {@code POST}: 405 {@code method_not_allowed} with {@code Allow: POST};
 *   <li>a body larger than {@link WebhookProcessor#maxPayloadBytes()}: 413 {@code payload_too_large}.
 *       A {@code Content-Length} over the limit is refused before a byte of the body is read; a body
 *       without a length (chunked) is read up to the limit plus one byte, then refused. The
 *       container discards or drops the rest of the connection;
 *   <li>a body the client stopped sending (it went away, or the container's read timeout passed):
 *       400 {@code unreadable_body}, logged at DEBUG, since the fault is not ours;
 *   <li>a failure inside the pipeline that it did not turn into an answer (a bug): 500
 *       {@code internal_error}, logged at ERROR, so that Stripe delivers again.
 * </ul>
 *
 * <p>Declared in {@code web.xml} (or registered by class name), the container creates the servlet
 * with the no-argument constructor; {@link #init()} then takes the processor from the servlet
 * context attribute {@value #PROCESSOR_ATTRIBUTE}, or from the attribute named by the init parameter
 * {@value #PROCESSOR_ATTRIBUTE_PARAMETER} when an application has several endpoints. Set it in a
 * {@code ServletContextListener}. The servlet is not annotated with {@code @WebServlet}: having the
 * jar on the class path never mounts an endpoint by itself.
 *
 * <p>The request is processed on the container's request thread (handlers run there in synchronous
 * mode). Thread-safe; one instance serves every request of an endpoint.
 */
public final class HookwiseServlet extends HttpServlet {
    /** The servlet context attribute that holds the {@link WebhookProcessor} when the container creates the servlet. */
    public static final String PROCESSOR_ATTRIBUTE = "dev.hookwise.servlet.processor";
    /** Init parameter naming another servlet context attribute to take the processor from. */
    public static final String PROCESSOR_ATTRIBUTE_PARAMETER = "processor-attribute";

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(HookwiseServlet.class);

    static final String SIGNATURE_HEADER = "Stripe-Signature";
    static final String FORWARDED_FOR_HEADER = "X-Forwarded-For";
    static final String JSON = "application/json";
    static final String METHOD_NOT_ALLOWED = "{\"outcome\":\"method_not_allowed\",\"detail\":\"only POST is accepted\"}";
    static final String UNREADABLE_BODY = "{\"outcome\":\"unreadable_body\"}";
    static final String INTERNAL_ERROR = "{\"outcome\":\"internal_error\"}";

    // Set by the constructor or, once, by init() before the container calls service().
    private transient volatile @Nullable WebhookProcessor processor;

    /**
     * A servlet for programmatic registration (embedded Tomcat or Jetty, Dropwizard's
     * {@code environment.servlets().addServlet(…)}, {@code ServletContext.addServlet(…)}).
     */
    public HookwiseServlet(WebhookProcessor processor) {
        this.processor = Objects.requireNonNull(processor, "processor");
    }

    /**
     * For containers that create the servlet from {@code web.xml} or by class name: the processor is
     * taken from a servlet context attribute in {@link #init()}.
     */
    public HookwiseServlet() {
        this.processor = null;
    }

    /**
     * Takes the processor from the servlet context unless it was given to the constructor.
     *
     * @throws UnavailableException when the attribute is missing or holds something else; the
     *     message names the attribute and how to set it
     */
    @Override
    public void init() throws ServletException {
        if (processor != null) {
            return;
        }
        String configured = getInitParameter(PROCESSOR_ATTRIBUTE_PARAMETER);
        String attribute = configured == null || configured.isBlank() ? PROCESSOR_ATTRIBUTE : configured.strip();
        Object value = getServletContext().getAttribute(attribute);
        if (value instanceof WebhookProcessor found) {
            processor = found;
            return;
        }
        String problem = value == null ? "no WebhookProcessor in servlet context attribute '" + attribute + "'"
                : "servlet context attribute '" + attribute + "' holds a " + value.getClass().getName()
                        + ", not a WebhookProcessor";
        // Permanent: the container stops routing requests here and answers them itself, without our stack.
        throw new UnavailableException(problem + " (servlet '" + getServletName() + "'): set it in a ServletContextListener's"
                + " contextInitialized (servletContext.setAttribute(\"" + attribute + "\", processor)), or register"
                + " new HookwiseServlet(processor) instead");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        WebhookProcessor pipeline = Objects.requireNonNull(processor, "init() has not run");
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            send(response, 405, METHOD_NOT_ALLOWED, Map.of());
            return;
        }
        int limit = pipeline.maxPayloadBytes();
        if (request.getContentLengthLong() > limit) {
            // Refused before reading: a client announcing a large body never gets it buffered.
            tooLarge(response, limit);
            return;
        }
        byte[] body;
        try {
            body = readAtMost(request.getInputStream(), limit);
        } catch (IOException e) {
            log.debug("could not read a webhook request body from {}: {}", request.getRemoteAddr(), e.toString());
            send(response, 400, UNREADABLE_BODY, Map.of());
            return;
        }
        if (body == null) {
            tooLarge(response, limit);
            return;
        }
        WebhookResponse answer;
        try {
            answer = pipeline.process(new WebhookRequest(body, request.getHeader(SIGNATURE_HEADER), request.getRemoteAddr(),
                    request.getHeader(FORWARDED_FOR_HEADER), EventSource.WEBHOOK));
        } catch (RuntimeException e) {
            // A bug of ours: logged here, answered 500 without details so that Stripe delivers again.
            log.error("the webhook pipeline failed unexpectedly", e);
            send(response, 500, INTERNAL_ERROR, Map.of());
            return;
        }
        send(response, answer.status(), answer.body(), answer.headers());
    }

    /**
     * Reads the whole body if it has at most {@code limit} bytes; returns null, having read
     * {@code limit + 1} bytes and no more, when it is longer.
     */
    static byte @Nullable [] readAtMost(InputStream in, int limit) throws IOException {
        byte[] body = in.readNBytes(limit == Integer.MAX_VALUE ? limit : limit + 1);
        return body.length > limit ? null : body;
    }

    private static void tooLarge(HttpServletResponse response, int limit) {
        WebhookResponse answer = WebhookResponse.rejected(Outcome.PAYLOAD_TOO_LARGE, null,
                "body is larger than the limit of " + limit + " bytes");
        send(response, answer.status(), answer.body(), answer.headers());
    }

    private static void send(HttpServletResponse response, int status, String json, Map<String, String> headers) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(JSON);
        headers.forEach(response::setHeader);
        response.setContentLength(bytes.length);
        try {
            response.getOutputStream().write(bytes);
        } catch (IOException e) {
            // The client went away before the answer; it will deliver again.
            log.debug("could not write the webhook answer {}: {}", status, e.toString());
        }
    }

    @Override
    public String toString() {
        return "HookwiseServlet[" + (processor == null ? "processor from the servlet context" : "processor given") + "]";
    }
}
