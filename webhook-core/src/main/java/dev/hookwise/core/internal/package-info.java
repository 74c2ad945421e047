/**
 * Implementation details; not an API, may change in any release. May use every other package of
 * {@code webhook-core}; nothing outside {@code webhook-core} should use it.
 */
@NullMarked
package dev.hookwise.core.internal;

import org.jspecify.annotations.NullMarked;
