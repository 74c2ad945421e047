package dev.hookwise.core.http;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signed deliveries over real HTTP for the server tests (core cannot use the testkit, which depends on it). */
final class SignedDeliveries {
    static final String SECRET = "whsec_http_test_secret";

    private SignedDeliveries() {}

    /** An event of {@code type} created now, with an invoice as its object. */
    static byte[] event(String id, String type) {
        return ("{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"" + type + "\",\"created\":"
                + Instant.now().getEpochSecond() + ",\"data\":{\"object\":{\"id\":\"in_1\",\"object\":\"invoice\"}}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A {@code Stripe-Signature} header for {@code body}, signed now with {@link #SECRET}. */
    static String sign(byte[] body) {
        long t = Instant.now().getEpochSecond();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            StringBuilder hex = new StringBuilder();
            for (byte x : mac.doFinal(body)) {
                hex.append(String.format("%02x", x));
            }
            return "t=" + t + ",v1=" + hex;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpRequest signedPost(URI uri, String eventId, String type) {
        byte[] body = event(eventId, type);
        return HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Stripe-Signature", sign(body)).build();
    }

    static CompletableFuture<HttpResponse<String>> deliverAsync(HttpClient client, URI uri, String eventId,
            String type) {
        return client.sendAsync(signedPost(uri, eventId, type), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> deliver(HttpClient client, URI uri, String eventId, String type) throws Exception {
        return client.send(signedPost(uri, eventId, type), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Waits until {@code condition} holds; the test's timeout bounds the wait. JUnit's timeout
     * interrupts the test thread, so an interrupt ends the wait (a loop that ignored it would spin
     * forever, since {@code parkNanos} returns at once while the thread is interrupted).
     */
    static void await(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("gave up waiting: the test timed out");
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Blocks until the peer closes; true if it did (end of stream or reset), false if it sent data. */
    static boolean readUntilClosed(Socket s) {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketException reset) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
