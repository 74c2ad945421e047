/**
 * The operators' web console ({@code hookwise.console.enabled=true}): one page over the JSON that
 * {@link dev.hookwise.spring.console.HookwiseConsole} serves, and the start-up check
 * ({@link dev.hookwise.spring.console.ConsoleAccessCheck}) that refuses a console nobody protects.
 */
@NullMarked
package dev.hookwise.spring.console;

import org.jspecify.annotations.NullMarked;
