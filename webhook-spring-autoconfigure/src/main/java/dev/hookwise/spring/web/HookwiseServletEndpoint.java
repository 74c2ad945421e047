package dev.hookwise.spring.web;

import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookRequest;
import dev.hookwise.core.WebhookResponse;
import dev.hookwise.core.spi.EventSource;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The webhook endpoint for Spring MVC: reads the raw body bytes (at most the processor's limit plus
 * one byte, so an oversized body is answered 413 without being buffered), passes
 * {@code Stripe-Signature}, the peer address and {@code X-Forwarded-For} to the
 * {@link WebhookProcessor}, and writes its status, headers and JSON body. Nothing but that small
 * JSON body is ever written: no stack trace, no payload, no secret.
 */
public final class HookwiseServletEndpoint implements HandlerFunction<ServerResponse> {
    private static final Logger log = LoggerFactory.getLogger(HookwiseServletEndpoint.class);

    private final WebhookProcessor processor;

    public HookwiseServletEndpoint(WebhookProcessor processor) {
        this.processor = Objects.requireNonNull(processor, "processor");
    }

    @Override
    public ServerResponse handle(ServerRequest request) {
        HttpServletRequest servlet = request.servletRequest();
        byte[] body;
        try {
            body = readAtMost(servlet.getInputStream(), processor.maxPayloadBytes() + 1L);
        } catch (IOException e) {
            log.debug("could not read a webhook request body: {}", e.toString());
            return answer(WebhookAnswers.UNREADABLE_BODY);
        }
        try {
            WebhookResponse answer = processor.process(new WebhookRequest(body, servlet.getHeader(WebhookAnswers.SIGNATURE_HEADER),
                    servlet.getRemoteAddr(), servlet.getHeader(WebhookAnswers.FORWARDED_FOR_HEADER), EventSource.WEBHOOK));
            return answer(answer);
        } catch (RuntimeException e) {
            log.error("the webhook pipeline failed unexpectedly", e);
            return answer(WebhookAnswers.INTERNAL_ERROR);
        }
    }

    static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] chunk = new byte[8192];
        long remaining = limit;
        int n;
        while (remaining > 0 && (n = in.read(chunk, 0, (int) Math.min(chunk.length, remaining))) != -1) {
            out.write(chunk, 0, n);
            remaining -= n;
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "HookwiseServletEndpoint";
    }

    private static ServerResponse answer(WebhookResponse answer) {
        return ServerResponse.status(answer.status())
                .contentType(WebhookAnswers.JSON)
                .headers(h -> answer.headers().forEach(h::set))
                .body(answer.body().getBytes(StandardCharsets.UTF_8));
    }

    private static ServerResponse answer(WebhookAnswers.Raw raw) {
        return ServerResponse.status(raw.status())
                .contentType(WebhookAnswers.JSON)
                .body(raw.body().getBytes(StandardCharsets.UTF_8));
    }
}
