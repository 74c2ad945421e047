/**
 * Spring Boot support for Hookwise: the {@code hookwise.*} properties, the
 * {@link dev.hookwise.spring.StripeWebhookHandler} annotation, handler registrations and processor
 * customizers. The auto-configuration itself is in {@code dev.hookwise.spring.autoconfigure}.
 */
@NullMarked
package dev.hookwise.spring;

import org.jspecify.annotations.NullMarked;
