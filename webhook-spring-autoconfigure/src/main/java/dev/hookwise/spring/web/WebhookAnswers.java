package dev.hookwise.spring.web;

import org.springframework.http.MediaType;

/** What both endpoints share: header names and the two answers the core does not produce. */
final class WebhookAnswers {
    static final String SIGNATURE_HEADER = "Stripe-Signature";
    static final String FORWARDED_FOR_HEADER = "X-Forwarded-For";
    static final MediaType JSON = MediaType.APPLICATION_JSON;

    /** The body could not be read (the client went away): nothing to verify. */
    static final Raw UNREADABLE_BODY = new Raw(400, "{\"outcome\":\"unreadable_body\"}");
    /** A bug or an unexpected failure: logged on the server, never described to the client. */
    static final Raw INTERNAL_ERROR = new Raw(500, "{\"outcome\":\"internal_error\"}");

    /** A status and a JSON body. */
    record Raw(int status, String body) {}

    private WebhookAnswers() {}
}
