/**
 * What an application plugs into the {@code hookwise} command line: its state machines (for
 * {@code check-consistency}) and reconcilers (for {@code reconcile}), found with
 * {@link java.util.ServiceLoader} through {@link dev.hookwise.cli.spi.HookwiseCliExtension}.
 */
@NullMarked
package dev.hookwise.cli.spi;

import org.jspecify.annotations.NullMarked;
