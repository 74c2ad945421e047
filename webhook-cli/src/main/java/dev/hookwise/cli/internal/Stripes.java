package dev.hookwise.cli.internal;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import dev.hookwise.cli.CliException;
import dev.hookwise.cli.ExitCode;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/** Builds the Stripe client and turns Stripe's errors into operator messages (never with the key). */
public final class Stripes {
    private Stripes() {}

    /**
     * A client with stripe-java's own retries of 429 and 5xx (two retries with its backoff) and
     * bounded connect and read timeouts.
     */
    public static StripeClient client(String apiKey, @Nullable String apiBase) {
        StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(apiKey).setMaxNetworkRetries(2)
                .setConnectTimeout(10_000).setReadTimeout(60_000);
        if (apiBase != null) {
            URI uri;
            try {
                uri = URI.create(apiBase);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.USAGE, "--stripe-api-base is not a URL: " + apiBase);
            }
            if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new CliException(ExitCode.USAGE, "--stripe-api-base must be an http(s) URL such as"
                        + " https://api.stripe.com, but was " + apiBase);
            }
            builder.setApiBase(apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase);
        }
        return builder.build();
    }

    /** What went wrong with Stripe, and what to do. */
    public static String describe(Exception e) {
        Throwable cause = e instanceof StripeException ? e : e.getCause() instanceof StripeException s ? s : e;
        if (cause instanceof AuthenticationException) {
            return "Stripe refused the API key (401): check STRIPE_API_KEY or --stripe-key-file";
        }
        if (cause instanceof PermissionException) {
            return "Stripe refused the request (403): the key may not read this resource; give the restricted key"
                    + " read access to events and the objects your reconcilers fetch";
        }
        if (cause instanceof RateLimitException) {
            return "Stripe kept answering 429 (rate limit) after retries: run again later";
        }
        if (cause instanceof ApiConnectionException) {
            return "Stripe is unreachable (" + cause.getMessage() + "): check the network, or --stripe-api-base";
        }
        if (cause instanceof StripeException s) {
            return "Stripe answered " + (s.getStatusCode() == null ? "an error" : s.getStatusCode()) + ": "
                    + s.getMessage();
        }
        return "Stripe could not answer: " + e.getMessage();
    }

    /** Wraps a Stripe failure as exit code 3. */
    public static CliException unavailable(Exception e) {
        return new CliException(ExitCode.UNAVAILABLE, describe(e), e);
    }
}
