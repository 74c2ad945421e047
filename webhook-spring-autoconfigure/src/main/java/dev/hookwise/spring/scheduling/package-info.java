/** Background work bound to the application context's lifecycle: the inbox worker and daily jobs. */
@NullMarked
package dev.hookwise.spring.scheduling;

import org.jspecify.annotations.NullMarked;
