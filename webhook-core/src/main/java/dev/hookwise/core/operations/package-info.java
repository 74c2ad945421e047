/**
 * Operator tools that work on what the pipeline recorded, outside the request path: replaying
 * events ({@link dev.hookwise.core.operations.EventReplayer}), deleting old ones
 * ({@link dev.hookwise.core.operations.EventRetention}), health
 * ({@link dev.hookwise.core.operations.WebhookHealth}) and reports
 * ({@link dev.hookwise.core.operations.WebhookReports}).
 *
 * <p>May use {@code dev.hookwise.core}, {@code dev.hookwise.core.spi} and
 * {@code dev.hookwise.core.internal}; the pipeline never depends on this package.
 */
@NullMarked
package dev.hookwise.core.operations;

import org.jspecify.annotations.NullMarked;
