/**
 * JDBC implementations of Hookwise's stores on PostgreSQL, MySQL/MariaDB and H2.
 *
 * <p>Start with {@link dev.hookwise.jdbc.JdbcIdempotencyStore#builder(javax.sql.DataSource)}.
 * The schema files ship inside the jar under {@code dev/hookwise/jdbc/schema/<dialect>/}, named
 * for Flyway ({@code V1__hookwise_event_log.sql}); {@link dev.hookwise.jdbc.JdbcDialect} says
 * where each one lives and how each database claims an event atomically.
 */
@NullMarked
package dev.hookwise.jdbc;

import org.jspecify.annotations.NullMarked;
