package dev.hookwise.jdbc.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The connection a transactional handler gets: the event log's transaction, which the store ends
 * after writing the verdict. Everything a handler does with it runs in that transaction; what would
 * end or change the transaction underneath the store is refused with an {@link SQLException}:
 * {@code commit}, {@code rollback()} (a handler's own savepoints may be rolled back to),
 * {@code setAutoCommit}, {@code close}, {@code abort}, and the settings that cannot change in a
 * running transaction or would point the store's statements elsewhere ({@code setTransactionIsolation},
 * {@code setReadOnly}, {@code setCatalog}, {@code setSchema}). {@code isClosed()} answers false
 * while the transaction is open. SQL text such as {@code COMMIT} cannot be refused: a handler must
 * not send it.
 */
public final class HandlerConnection implements InvocationHandler {

    private static final Set<String> REFUSED = Set.of("commit", "setAutoCommit", "close", "abort",
            "setTransactionIsolation", "setReadOnly", "setCatalog", "setSchema");

    private final Connection target;

    private HandlerConnection(Connection target) {
        this.target = target;
    }

    /** {@code target} as a handler may use it. */
    public static Connection wrap(Connection target) {
        return (Connection) Proxy.newProxyInstance(HandlerConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new HandlerConnection(target));
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
        String name = method.getName();
        int arity = args == null ? 0 : args.length;
        if (REFUSED.contains(name) || (name.equals("rollback") && arity == 0)) {
            throw new SQLException("a transactional handler must not call Connection." + name + "(): the connection"
                    + " carries the event log's transaction, which Hookwise commits together with the event's"
                    + " completion, or rolls back, after the handler returns; throw an exception to roll back", "25000");
        }
        boolean askingForThisWrapper = args != null && args.length == 1 && args[0] instanceof Class<?> type
                && type.isInstance(proxy);
        switch (name) {
            case "equals" -> {
                return args != null && proxy == args[0];
            }
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "toString" -> {
                return "HandlerConnection[" + target + "]";
            }
            case "unwrap" -> {
                if (askingForThisWrapper) {
                    return proxy; // never the connection underneath, which could commit
                }
            }
            case "isWrapperFor" -> {
                if (askingForThisWrapper) {
                    return true;
                }
            }
            default -> { }
        }
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
