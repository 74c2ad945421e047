/**
 * Stripe signature verification ({@link dev.hookwise.core.signature.SignatureVerifier}) and its
 * failure ({@link dev.hookwise.core.signature.SignatureException}); usable on its own, without the
 * rest of the pipeline.
 *
 * <p>May use {@code dev.hookwise.core} (the exception hierarchy) and {@code dev.hookwise.core.internal}.
 */
@NullMarked
package dev.hookwise.core.signature;

import org.jspecify.annotations.NullMarked;
