/**
 * Spring transactions for Hookwise's transactional handlers: {@link dev.hookwise.spring.tx.SpringTransactionRunner}
 * runs the event log's transactions through the application's {@code PlatformTransactionManager},
 * so that a handler's {@code JdbcTemplate}, {@code JdbcClient} or JPA writes commit together with the
 * event's completion. The starter sets it up by itself; build a store with it only when the
 * application defines its own {@code JdbcIdempotencyStore} bean.
 */
@NullMarked
package dev.hookwise.spring.tx;

import org.jspecify.annotations.NullMarked;
