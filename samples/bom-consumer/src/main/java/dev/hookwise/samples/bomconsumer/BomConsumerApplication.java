package dev.hookwise.samples.bomconsumer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with Hookwise from the starter alone: {@code POST /stripe/webhook},
 * the event log in the application's database (embedded H2 here), the inbox worker, and one
 * handler, {@link Fulfilment}. Configuration is one property, the signing secret.
 *
 * <p>Development loop: run the application, then
 * {@code stripe listen --forward-to localhost:8080/stripe/webhook} and set
 * {@code STRIPE_WEBHOOK_SECRET} to the {@code whsec_…} secret it prints.
 */
@SpringBootApplication
public class BomConsumerApplication {

    public static void main(String[] args) {
        SpringApplication.run(BomConsumerApplication.class, args);
    }
}
