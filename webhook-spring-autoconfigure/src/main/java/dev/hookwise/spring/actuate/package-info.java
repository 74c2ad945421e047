/** Actuator support: the {@code hookwise} health indicator and the {@code hookwise} endpoint. */
@NullMarked
package dev.hookwise.spring.actuate;

import org.jspecify.annotations.NullMarked;
