/**
 * The {@code hookwise} operator command line: {@link dev.hookwise.cli.Main} for the jar,
 * {@link dev.hookwise.cli.HookwiseCli} to run it in-process, {@link dev.hookwise.cli.ExitCode} for
 * what each exit status means.
 */
@NullMarked
package dev.hookwise.cli;

import org.jspecify.annotations.NullMarked;
