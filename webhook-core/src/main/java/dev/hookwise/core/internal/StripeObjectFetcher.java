package dev.hookwise.core.internal;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.StripeObject;
import dev.hookwise.core.PermanentWebhookFailure;
import dev.hookwise.core.StripeApiException;
import java.util.Locale;

/** Retrieves the current version of an event's object through stripe-java's typed services. */
public final class StripeObjectFetcher {

    /** What an API call does; a checked call like stripe-java's. */
    @FunctionalInterface
    public interface StripeCall<T> {
        T call() throws StripeException;
    }

    private final StripeClient client;

    public StripeObjectFetcher(StripeClient client) {
        this.client = client;
    }

    /** The object kinds fetch-latest and reconciliation can retrieve. */
    public static boolean supports(String objectType) {
        return switch (objectType) {
            case "payment_intent", "charge", "customer", "subscription", "invoice", "checkout.session", "refund",
                    "dispute", "setup_intent" -> true;
            default -> false;
        };
    }

    public StripeObject fetch(String objectType, String id) {
        if (!supports(objectType)) {
            throw new PermanentWebhookFailure("fetching a " + objectType + " is not supported; read the payload,"
                    + " or fetch it with your own StripeClient");
        }
        return call("retrieve " + objectType + " " + id, () -> switch (objectType) {
            case "payment_intent" -> client.v1().paymentIntents().retrieve(id);
            case "charge" -> client.v1().charges().retrieve(id);
            case "customer" -> client.v1().customers().retrieve(id);
            case "subscription" -> client.v1().subscriptions().retrieve(id);
            case "invoice" -> client.v1().invoices().retrieve(id);
            case "checkout.session" -> client.v1().checkout().sessions().retrieve(id);
            case "refund" -> client.v1().refunds().retrieve(id);
            case "dispute" -> client.v1().disputes().retrieve(id);
            case "setup_intent" -> client.v1().setupIntents().retrieve(id);
            default -> throw new IllegalStateException(objectType);
        });
    }

    /**
     * Runs a call and translates stripe-java's exceptions: a missing object is permanent, a bad key
     * is a refusal, rate limits, 5xx and connection failures are transient.
     */
    public static <T> T call(String what, StripeCall<T> call) {
        try {
            return call.call();
        } catch (StripeException e) {
            throw translate(what, e);
        } catch (com.google.gson.JsonParseException | IllegalStateException e) {
            throw new StripeApiException("stripe_malformed_response", what + ": Stripe's answer could not be read ("
                    + e.getClass().getSimpleName() + ")", 0, false, e);
        }
    }

    public static RuntimeException translate(String what, StripeException e) {
        int status = e.getStatusCode() == null ? 0 : e.getStatusCode();
        if (e instanceof AuthenticationException || e instanceof PermissionException) {
            return new StripeApiException("stripe_authentication", what + ": Stripe refused the API key (HTTP "
                    + status + "); check the secret or restricted key and its permissions", status, false, e);
        }
        if (status >= 200 && status < 300) {
            // stripe-java reports an answer it could not parse as an error carrying the 2xx status.
            return new StripeApiException("stripe_malformed_response", what + ": Stripe's answer could not be read (HTTP "
                    + status + ")", status, false, e);
        }
        if (e instanceof RateLimitException || e instanceof ApiConnectionException || status >= 500 || status == 0) {
            return new StripeApiException("stripe_unavailable", what + ": Stripe is unavailable or rate-limiting (HTTP "
                    + status + ")", status, true, e);
        }
        if (status == 404) {
            return new PermanentWebhookFailure(what + ": Stripe has no such object (" + e.getCode() + ")", e);
        }
        return new StripeApiException("stripe_request_failed", what + ": Stripe answered HTTP " + status + " ("
                + String.valueOf(e.getCode()).toLowerCase(Locale.ROOT) + ")", status, false, e);
    }
}
