/** The webhook endpoint for Spring MVC and for WebFlux, as functional routes. */
@NullMarked
package dev.hookwise.spring.web;

import org.jspecify.annotations.NullMarked;
