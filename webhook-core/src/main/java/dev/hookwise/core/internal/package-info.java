/**
 * Implementation details; not an API, may change in any release. May use every other package of
 * {@code webhook-core}. Hookwise's other modules, released with it, may use it too (the one daily
 * scheduler, the checks); applications and store implementations must not.
 */
@NullMarked
package dev.hookwise.core.internal;

import org.jspecify.annotations.NullMarked;
