/**
 * The JDBC {@link dev.hookwise.core.spi.state.StateStore}: entity states and their transition history
 * on PostgreSQL, MySQL/MariaDB and H2.
 *
 * <p>Start with {@link dev.hookwise.jdbc.state.JdbcStateStore#builder(javax.sql.DataSource)}. The
 * schema ships inside the jar as {@code dev/hookwise/jdbc/schema/<dialect>/V2__hookwise_state.sql},
 * next to the event log's {@code V1} file, so Flyway can apply both in order.
 */
@NullMarked
package dev.hookwise.jdbc.state;

import org.jspecify.annotations.NullMarked;
