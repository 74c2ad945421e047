package dev.hookwise.core.spi;

/**
 * The open transaction of a {@link TransactionalStore}, as a transactional handler sees it: the
 * handle its writes go through, so that they commit together with the event's verdict, or not at
 * all.
 *
 * <p>What a store offers depends on the store: the JDBC store offers the transaction's
 * {@code java.sql.Connection}. A handler must not end the transaction itself (commit, roll back,
 * close); the store does that once the verdict is written.
 *
 * @since 0.2.0
 */
public interface StoreTransaction {

    /**
     * The transaction's handle as {@code type}, e.g. {@code transaction.unwrap(java.sql.Connection.class)}.
     *
     * @throws IllegalArgumentException if this store has no handle of that type
     */
    <T> T unwrap(Class<T> type);
}
