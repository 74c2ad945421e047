package dev.hookwise.spring.web;

import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookRequest;
import dev.hookwise.core.WebhookResponse;
import dev.hookwise.core.spi.EventSource;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The webhook endpoint for WebFlux: joins at most the processor's limit plus one byte of the raw
 * body (an oversized body is answered 413 without being buffered), then runs the
 * {@link WebhookProcessor} on the bounded-elastic scheduler, since stores and handlers block.
 * Like the MVC endpoint it writes only the processor's small JSON answer, never a stack trace.
 */
public final class HookwiseReactiveEndpoint implements HandlerFunction<ServerResponse> {
    private static final Logger log = LoggerFactory.getLogger(HookwiseReactiveEndpoint.class);

    private final WebhookProcessor processor;

    public HookwiseReactiveEndpoint(WebhookProcessor processor) {
        this.processor = Objects.requireNonNull(processor, "processor");
    }

    @Override
    public Mono<ServerResponse> handle(ServerRequest request) {
        String signature = request.headers().firstHeader(WebhookAnswers.SIGNATURE_HEADER);
        String forwardedFor = request.headers().firstHeader(WebhookAnswers.FORWARDED_FOR_HEADER);
        String remote = request.remoteAddress()
                .map(InetSocketAddress::getAddress)
                .map(a -> a.getHostAddress())
                .orElse(null);
        long limit = processor.maxPayloadBytes() + 1L;
        return DataBufferUtils.join(DataBufferUtils.takeUntilByteCount(request.body(BodyExtractors.toDataBuffers()), limit))
                .map(HookwiseReactiveEndpoint::bytes)
                .defaultIfEmpty(new byte[0])
                .publishOn(Schedulers.boundedElastic())
                .map(body -> processor.process(new WebhookRequest(body, signature, remote, forwardedFor, EventSource.WEBHOOK)))
                .flatMap(HookwiseReactiveEndpoint::answer)
                .onErrorResume(e -> {
                    log.error("the webhook pipeline failed unexpectedly", e);
                    return answer(WebhookAnswers.INTERNAL_ERROR);
                });
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] out = new byte[buffer.readableByteCount()];
            buffer.read(out);
            return out;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    private static Mono<ServerResponse> answer(WebhookResponse answer) {
        return ServerResponse.status(answer.status())
                .contentType(WebhookAnswers.JSON)
                .headers(h -> answer.headers().forEach(h::set))
                .bodyValue(answer.body().getBytes(StandardCharsets.UTF_8));
    }

    private static Mono<ServerResponse> answer(WebhookAnswers.Raw raw) {
        return ServerResponse.status(raw.status())
                .contentType(WebhookAnswers.JSON)
                .bodyValue(raw.body().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "HookwiseReactiveEndpoint";
    }
}
