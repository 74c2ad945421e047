package dev.hookwise.core;

import dev.hookwise.core.inbox.InboxWorker;

/** When handlers run relative to the HTTP answer. */
public enum ProcessingMode {
    /**
     * Handlers run inside the request; the answer reports their result. Simple, and Stripe's
     * redelivery is the retry mechanism.
     */
    SYNC,
    /**
     * The verified event is inserted into the inbox and answered 200 {@code queued} at once; an
     * {@link InboxWorker} runs the handlers with durable retries. Stripe recommends answering fast;
     * this keeps a busy account healthy. Needs a store that supports the inbox and keeps payloads.
     */
    ASYNC
}
