/** A tiny adapter that serves a {@link dev.hookwise.core.WebhookProcessor} with the JDK's built-in HTTP server. */
@NullMarked
package dev.hookwise.core.http;

import org.jspecify.annotations.NullMarked;
