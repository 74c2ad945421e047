/** One class per {@code hookwise} subcommand. */
@NullMarked
package dev.hookwise.cli.command;

import org.jspecify.annotations.NullMarked;
