package dev.hookwise.testkit;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.stripe.StripeClient;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for Stripe's API on a free loopback port, for code that lists events (recovery) or
 * fetches objects (fetch-latest, reconciliation) with stripe-java. It serves:
 * <ul>
 *   <li>{@code GET /v1/events}: newest first, with {@code created[gte|gt|lte|lt]} (or an exact
 *       {@code created}), {@code type} (a {@code *} wildcard allowed), {@code types[]}, {@code limit}
 *       (1–100, default 10), {@code starting_after}, {@code ending_before} and {@code has_more}, as
 *       Stripe pages; and {@code GET /v1/events/{id}};</li>
 *   <li>{@code GET /v1/payment_intents/{id}}, {@code /v1/charges/{id}}, {@code /v1/customers/{id}},
 *       {@code /v1/subscriptions/{id}}, {@code /v1/invoices/{id}}, {@code /v1/checkout/sessions/{id}},
 *       {@code /v1/disputes/{id}}, {@code /v1/refunds/{id}}: whatever the test {@link #putObject put}.</li>
 * </ul>
 * Every request needs {@code Authorization: Bearer sk_test_…} (or the exact key given to
 * {@link #start(String)}); errors have Stripe's shape ({@code {"error": {"type", "code", "message",
 * "param", …}}}): 401 for a missing or wrong key, 404 {@code resource_missing} for unknown ids, 400
 * for bad parameters. {@link #failNext} makes the next calls answer 429 or 500. Every request is
 * recorded.
 *
 * <pre>{@code
 * try (FakeStripeApi stripe = FakeStripeApi.start()) {
 *     stripe.addEvents(missedEvents);
 *     stripe.putObject(paymentIntentJson);
 *     StripeClient client = StripeClient.builder()
 *             .setApiKey(stripe.apiKey())
 *             .setApiBase(stripe.baseUrl())
 *             .build();                         // or stripe.client()
 *     client.v1().events().list(params).autoPagingIterable().forEach(recovery::process);
 * }
 * }</pre>
 *
 * <p>Note that stripe-java retries 429 and 5xx answers itself, sleeping between attempts, when its
 * {@code maxNetworkRetries} is above zero; {@link #client()} sets it to zero so that tests see every
 * injected failure.
 */
public final class FakeStripeApi implements AutoCloseable {

    /** The key {@link #client()} uses and {@link #apiKey()} returns unless {@link #start(String)} named one. */
    public static final String DEFAULT_API_KEY = "sk_test_hookwise_fake_stripe_api";

    private static final Map<String, String> RESOURCES = Map.of(
            "payment_intents", "payment_intent",
            "charges", "charge",
            "customers", "customer",
            "subscriptions", "subscription",
            "invoices", "invoice",
            "checkout/sessions", "checkout.session",
            "disputes", "dispute",
            "refunds", "refund");

    private final HttpServer server;
    private final ExecutorService executor;
    private final @Nullable String requiredKey;
    private final Object lock = new Object();
    private final List<StoredEvent> events = new ArrayList<>();
    private final Map<String, Map<String, JsonObject>> objects = new HashMap<>();
    private final Deque<Integer> failures = new ArrayDeque<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final StripeEventFactory ids = StripeEventFactory.create();

    private record StoredEvent(long sequence, String id, String type, long created, JsonObject json) {}

    /**
     * One request the fake received.
     *
     * @param method the HTTP method
     * @param path the path, e.g. {@code /v1/events}
     * @param params the decoded query parameters, in order (repeated keys keep every value)
     * @param status the status answered
     * @param authorized whether the request carried an accepted API key (the key itself is not kept)
     */
    public record RecordedRequest(String method, String path, Map<String, List<String>> params, int status,
            boolean authorized) {
        /** The first value of a parameter, if present. */
        public @Nullable String param(String name) {
            List<String> values = params.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        @Override
        public String toString() {
            return method + " " + path + " " + params + " -> " + status;
        }
    }

    private FakeStripeApi(HttpServer server, ExecutorService executor, @Nullable String requiredKey) {
        this.server = server;
        this.executor = executor;
        this.requiredKey = requiredKey;
    }

    /** Starts a fake on a free loopback port that accepts any test-mode secret key ({@code sk_test_…}). */
    public static FakeStripeApi start() {
        return start(null);
    }

    /** Starts a fake that accepts only {@code apiKey} (which must be a {@code sk_test_} or {@code rk_test_} key). */
    public static FakeStripeApi start(@Nullable String apiKey) {
        if (apiKey != null && !apiKey.startsWith("sk_test_") && !apiKey.startsWith("rk_test_")) {
            throw new IllegalArgumentException("the fake accepts only test-mode keys (sk_test_… or rk_test_…);"
                    + " the value is not shown here");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a loopback port for the fake Stripe API: " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "hookwise-fake-stripe");
            t.setDaemon(true);
            return t;
        });
        FakeStripeApi api = new FakeStripeApi(server, executor, apiKey);
        server.setExecutor(executor);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    /** The base URL to give stripe-java ({@code StripeClient.builder().setApiBase(…)}), e.g. {@code http://127.0.0.1:54321}. */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** {@link #baseUrl()} as a URI. */
    public URI uri() {
        return URI.create(baseUrl());
    }

    /** A key the fake accepts. */
    public String apiKey() {
        return requiredKey != null ? requiredKey : DEFAULT_API_KEY;
    }

    /** A stripe-java client pointed at this fake, with stripe-java's own network retries off. */
    public StripeClient client() {
        return StripeClient.builder().setApiKey(apiKey()).setApiBase(baseUrl()).setMaxNetworkRetries(0).build();
    }

    /** Makes the event listable and retrievable. Adding an id again replaces the earlier event. */
    public FakeStripeApi addEvent(TestEvent event) {
        return addEventJson(event.json());
    }

    /** Adds several events. */
    public FakeStripeApi addEvents(Collection<TestEvent> list) {
        list.forEach(this::addEvent);
        return this;
    }

    /** Adds an event given as JSON (a fixture, a capture). */
    public FakeStripeApi addEventJson(String json) {
        JsonObject event = Json.parseObject(json, "event");
        String id = Json.string(event, "id");
        String type = Json.string(event, "type");
        if (id == null || type == null || !event.has("created")) {
            throw new IllegalArgumentException("an event needs id, type and created");
        }
        StoredEvent stored = new StoredEvent(sequence.incrementAndGet(), id, type, event.get("created").getAsLong(), event);
        synchronized (lock) {
            events.removeIf(e -> e.id().equals(id));
            events.add(stored);
        }
        return this;
    }

    /**
     * Makes an object retrievable at its resource path, chosen by its {@code object} field
     * ({@code payment_intent} → {@code /v1/payment_intents/{id}}, {@code checkout.session} →
     * {@code /v1/checkout/sessions/{id}}, …). Putting an id again replaces the object: the "latest state".
     */
    public FakeStripeApi putObject(String json) {
        JsonObject object = Json.parseObject(json, "object");
        String id = Json.string(object, "id");
        String kind = Json.string(object, "object");
        String resource = RESOURCES.entrySet().stream().filter(e -> e.getValue().equals(kind)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("cannot serve objects of kind '" + kind
                        + "'; supported: " + RESOURCES.values()));
        if (id == null) {
            throw new IllegalArgumentException("the object has no id");
        }
        synchronized (lock) {
            objects.computeIfAbsent(resource, r -> new HashMap<>()).put(id, object);
        }
        return this;
    }

    /** Makes the event's {@code data.object} retrievable (its state as of that event). */
    public FakeStripeApi putObject(TestEvent event) {
        return putObject(event.dataObjectJson());
    }

    /**
     * Answers the next {@code count} requests with {@code status} and a Stripe-shaped error (429:
     * {@code rate_limit}; 5xx: {@code api_error}), whatever they ask for. Calls add up.
     */
    public FakeStripeApi failNext(int count, int status) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, but was " + count);
        }
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an error status (400-599), but was " + status);
        }
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                failures.add(status);
            }
        }
        return this;
    }

    /** Every request received so far, in order. */
    public List<RecordedRequest> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** The requests to one path, e.g. {@code /v1/events}. */
    public List<RecordedRequest> requests(String path) {
        return requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Forgets the recorded requests (events, objects and pending failures stay). */
    public void clearRequests() {
        synchronized (lock) {
            requests.clear();
        }
    }

    /** Stops the server and its threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- request handling ------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Map<String, List<String>> params = parseQuery(exchange.getRequestURI().getRawQuery());
            boolean authorized = authorized(exchange.getRequestHeaders().getFirst("Authorization"));
            Reply reply;
            try {
                reply = route(exchange.getRequestMethod(), path, params, exchange.getRequestHeaders().getFirst("Authorization"),
                        authorized);
            } catch (RuntimeException e) {
                reply = error(500, "api_error", null, "The fake Stripe API failed: " + e.getClass().getSimpleName(), null);
            }
            synchronized (lock) {
                requests.add(new RecordedRequest(exchange.getRequestMethod(), path, params, reply.status(), authorized));
            }
            byte[] body = Json.PRETTY.toJson(reply.body()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Request-Id", "req_" + ids.randomAlphanumeric(14));
            exchange.getResponseHeaders().set("Stripe-Version", com.stripe.Stripe.API_VERSION);
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private record Reply(int status, JsonObject body) {}

    private Reply route(String method, String path, Map<String, List<String>> params, @Nullable String authorization,
            boolean authorized) {
        Integer injected;
        synchronized (lock) {
            injected = failures.poll();
        }
        if (injected != null) {
            return injected == 429
                    ? error(429, "invalid_request_error", "rate_limit",
                            "Request rate limit exceeded (injected by the fake Stripe API).", null)
                    : error(injected, injected >= 500 ? "api_error" : "invalid_request_error", null,
                            "An error injected by the fake Stripe API.", null);
        }
        if (authorization == null || authorization.isBlank()) {
            return error(401, "invalid_request_error", null,
                    "No API key provided: send it as 'Authorization: Bearer sk_test_…'.", null);
        }
        if (!authorized) {
            return error(401, "invalid_request_error", "api_key_invalid",
                    "Invalid API key provided; the fake accepts " + (requiredKey != null ? "only its configured key"
                            : "test-mode secret keys (sk_test_…)") + ".", null);
        }
        if (!"GET".equals(method) || !path.startsWith("/v1/")) {
            return unrecognized(method, path);
        }
        String rest = path.substring("/v1/".length());
        if (rest.equals("events")) {
            return listEvents(params);
        }
        if (rest.startsWith("events/")) {
            String id = decode(rest.substring("events/".length()));
            synchronized (lock) {
                return events.stream().filter(e -> e.id().equals(id)).findFirst()
                        .map(e -> new Reply(200, e.json().deepCopy()))
                        .orElseGet(() -> missing("event", id, "id"));
            }
        }
        for (Map.Entry<String, String> resource : RESOURCES.entrySet()) {
            String prefix = resource.getKey() + "/";
            if (rest.startsWith(prefix) && rest.length() > prefix.length() && rest.indexOf('/', prefix.length()) < 0) {
                String id = decode(rest.substring(prefix.length()));
                synchronized (lock) {
                    JsonObject found = objects.getOrDefault(resource.getKey(), Map.of()).get(id);
                    return found != null ? new Reply(200, found.deepCopy()) : missing(resource.getValue(), id, "id");
                }
            }
        }
        return unrecognized(method, path);
    }

    private Reply listEvents(Map<String, List<String>> params) {
        int limit = 10;
        String limitParam = first(params, "limit");
        if (limitParam != null) {
            Long parsed = parseLong(limitParam);
            if (parsed == null || parsed < 1 || parsed > 100) {
                return error(400, "invalid_request_error", "parameter_invalid_integer",
                        "limit must be an integer between 1 and 100, but was '" + limitParam + "'.", "limit");
            }
            limit = parsed.intValue();
        }
        Long gte = null;
        Long gt = null;
        Long lte = null;
        Long lt = null;
        for (String op : List.of("gte", "gt", "lte", "lt")) {
            String raw = first(params, "created[" + op + "]");
            if (raw == null) {
                continue;
            }
            Long value = parseLong(raw);
            if (value == null) {
                return error(400, "invalid_request_error", "parameter_invalid_integer",
                        "created[" + op + "] must be a Unix timestamp, but was '" + raw + "'.", "created[" + op + "]");
            }
            switch (op) {
                case "gte" -> gte = value;
                case "gt" -> gt = value;
                case "lte" -> lte = value;
                default -> lt = value;
            }
        }
        String exact = first(params, "created");
        if (exact != null) {
            Long value = parseLong(exact);
            if (value == null) {
                return error(400, "invalid_request_error", "parameter_invalid_integer",
                        "created must be a Unix timestamp, but was '" + exact + "'.", "created");
            }
            gte = value;
            lte = value;
        }
        String type = first(params, "type");
        List<String> types = new ArrayList<>();
        params.forEach((k, v) -> {
            if (k.equals("types[]") || k.matches("types\\[\\d+]")) {
                types.addAll(v);
            }
        });
        if (type != null && !types.isEmpty()) {
            return error(400, "invalid_request_error", "parameter_invalid_string",
                    "Use either type or types, not both.", "types");
        }
        if (types.size() > 20) {
            return error(400, "invalid_request_error", "parameter_invalid_array",
                    "types may hold at most 20 event types, but held " + types.size() + ".", "types");
        }
        String startingAfter = first(params, "starting_after");
        String endingBefore = first(params, "ending_before");
        if (startingAfter != null && endingBefore != null) {
            return error(400, "invalid_request_error", null,
                    "You may only specify one of these parameters: starting_after, ending_before.", "ending_before");
        }

        List<StoredEvent> all;
        synchronized (lock) {
            all = new ArrayList<>(events);
        }
        // Newest first; within one second, the later addition is the newer event.
        all.sort(Comparator.comparingLong(StoredEvent::created).thenComparingLong(StoredEvent::sequence).reversed());
        int cursor = -1;
        String cursorId = startingAfter != null ? startingAfter : endingBefore;
        if (cursorId != null) {
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).id().equals(cursorId)) {
                    cursor = i;
                }
            }
            if (cursor < 0) {
                return missing("event", cursorId, startingAfter != null ? "starting_after" : "ending_before");
            }
        }
        List<StoredEvent> candidates = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            boolean inWindow = startingAfter != null ? i > cursor : endingBefore == null || i < cursor;
            StoredEvent e = all.get(i);
            if (inWindow && (gte == null || e.created() >= gte) && (gt == null || e.created() > gt)
                    && (lte == null || e.created() <= lte) && (lt == null || e.created() < lt)
                    && typeMatches(e.type(), type, types)) {
                candidates.add(e);
            }
        }
        List<StoredEvent> page;
        boolean hasMore;
        if (endingBefore != null) {
            // The page just before the cursor, still newest first.
            int from = Math.max(0, candidates.size() - limit);
            page = candidates.subList(from, candidates.size());
            hasMore = from > 0;
        } else {
            page = candidates.subList(0, Math.min(limit, candidates.size()));
            hasMore = candidates.size() > limit;
        }
        JsonArray data = new JsonArray();
        page.forEach(e -> data.add(e.json().deepCopy()));
        JsonObject list = new JsonObject();
        list.addProperty("object", "list");
        list.add("data", data);
        list.addProperty("has_more", hasMore);
        list.addProperty("url", "/v1/events");
        return new Reply(200, list);
    }

    private static boolean typeMatches(String eventType, @Nullable String type, List<String> types) {
        if (type != null) {
            return matches(eventType, type);
        }
        return types.isEmpty() || types.stream().anyMatch(t -> matches(eventType, t));
    }

    private static boolean matches(String eventType, String pattern) {
        if (pattern.endsWith("*")) {
            return eventType.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return eventType.equals(pattern);
    }

    private boolean authorized(@Nullable String authorization) {
        String key = keyFrom(authorization);
        if (key == null) {
            return false;
        }
        if (requiredKey != null) {
            return java.security.MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
                    requiredKey.getBytes(StandardCharsets.UTF_8));
        }
        return key.startsWith("sk_test_") || key.startsWith("rk_test_");
    }

    private static @Nullable String keyFrom(@Nullable String authorization) {
        if (authorization == null) {
            return null;
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private static Reply missing(String objectName, String id, String param) {
        return error(404, "invalid_request_error", "resource_missing", "No such " + objectName + ": '" + id + "'", param);
    }

    private static Reply unrecognized(String method, String path) {
        return error(404, "invalid_request_error", null,
                "Unrecognized request URL (" + method + ": " + path + "). The fake Stripe API serves GET /v1/events"
                        + " and GET /v1/{payment_intents,charges,customers,subscriptions,invoices,checkout/sessions,"
                        + "disputes,refunds}/{id}.", null);
    }

    private static Reply error(int status, String type, @Nullable String code, String message, @Nullable String param) {
        JsonObject error = new JsonObject();
        if (code != null) {
            error.addProperty("code", code);
            error.addProperty("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'));
        }
        error.addProperty("message", message);
        if (param != null) {
            error.addProperty("param", param);
        }
        error.addProperty("type", type);
        JsonObject body = new JsonObject();
        body.add("error", error);
        return new Reply(status, body);
    }

    private static Map<String, List<String>> parseQuery(@Nullable String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static @Nullable String first(Map<String, List<String>> params, String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static @Nullable Long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "FakeStripeApi[" + baseUrl() + "]";
    }
}
