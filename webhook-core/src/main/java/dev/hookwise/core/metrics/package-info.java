/** Micrometer metrics for Hookwise; needs {@code io.micrometer:micrometer-core} on the classpath. */
@NullMarked
package dev.hookwise.core.metrics;

import org.jspecify.annotations.NullMarked;
