/** JDBC plumbing shared by the stores; not an API, may change in any release. */
@NullMarked
package dev.hookwise.jdbc.internal;

import org.jspecify.annotations.NullMarked;
