/**
 * The inbox worker: in {@link dev.hookwise.core.ProcessingMode#ASYNC} the request only records the
 * event, and an {@link dev.hookwise.core.inbox.InboxWorker} claims due events from the
 * {@link dev.hookwise.core.spi.InboxStore} and runs their handlers, rescheduling failures with a
 * {@link dev.hookwise.core.inbox.Backoff}.
 *
 * <p>May use {@code dev.hookwise.core}, {@code dev.hookwise.core.spi} and
 * {@code dev.hookwise.core.internal} (it runs claimed events through
 * {@code internal.ClaimedEvents}, the processor's non-public path); the pipeline never depends
 * on this package.
 */
@NullMarked
package dev.hookwise.core.inbox;

import org.jspecify.annotations.NullMarked;
