package dev.hookwise.spring.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP face of {@link HookwiseEndpoint}'s operations that take a value from the URL: a bad
 * value is answered 400 with a JSON body that says why, e.g.
 * {@code {"replayed":false,"outcome":"invalid_event_id","message":"eventId must be …"}}, whatever
 * the application's {@code server.error.include-message} (Boot's own error page shows only
 * "Bad Request"). The list of failed events needs no extension and is served by the endpoint itself.
 *
 * <p>Access is the endpoint's: with the default {@code read-only} access the replay operation below
 * is not mapped at all, exactly like the endpoint's own.
 */
@EndpointWebExtension(endpoint = HookwiseEndpoint.class)
public final class HookwiseEndpointWebExtension {
    private final HookwiseEndpoint endpoint;

    public HookwiseEndpointWebExtension(HookwiseEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /** {@link HookwiseEndpoint#report}; 400 {@code invalid_window} for a window it cannot read. */
    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> report(@Selector String window) {
        return answer(() -> endpoint.report(window), Map.of());
    }

    /** {@link HookwiseEndpoint#replay}; 400 {@code invalid_event_id} for an id that is not a Stripe event id. */
    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> replay(@Selector String eventId, SecurityContext security) {
        return answer(() -> endpoint.replay(eventId, security), Map.of("replayed", false));
    }

    private static WebEndpointResponse<Map<String, Object>> answer(Supplier<Map<String, Object>> operation,
            Map<String, Object> refusal) {
        try {
            return new WebEndpointResponse<>(operation.get(), WebEndpointResponse.STATUS_OK);
        } catch (InvalidEndpointRequestException e) {
            // The message names the expected form and shows the bad value already made safe by the endpoint.
            Map<String, Object> body = new LinkedHashMap<>(refusal);
            body.put("outcome", e.getReason());
            body.put("message", e.getMessage());
            return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_BAD_REQUEST);
        }
    }
}
