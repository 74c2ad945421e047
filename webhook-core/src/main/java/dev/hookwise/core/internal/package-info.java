/** Implementation details; not an API, may change in any release. */
@NullMarked
package dev.hookwise.core.internal;

import org.jspecify.annotations.NullMarked;
