/** The CLI's plumbing: connections, secrets, output, progress, prompts. Not an API. */
@NullMarked
package dev.hookwise.cli.internal;

import org.jspecify.annotations.NullMarked;
