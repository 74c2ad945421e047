package dev.hookwise.core.state;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How states are named outside Java: the enum constant's name in lower case
 * ({@code PENDING_PAYMENT} ↔ {@code pending_payment}). Stores persist these names, logs and
 * history show them, and {@link StateMachine.Builder#allow(String, String...)} reads them.
 */
public final class StateNames {

    /** Longest state name a store must hold. */
    public static final int MAX_LENGTH = 64;

    private StateNames() {}

    /** The external name of {@code state}. */
    public static String name(Enum<?> state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The state named {@code name} (case-insensitive).
     *
     * @throws UnknownStateException when {@code stateType} has no such state; the message lists the known names
     */
    public static <S extends Enum<S>> S parse(Class<S> stateType, String name) {
        Objects.requireNonNull(stateType, "stateType");
        Objects.requireNonNull(name, "name");
        for (S s : stateType.getEnumConstants()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new UnknownStateException(stateType, name);
    }

    static String known(Class<? extends Enum<?>> stateType) {
        return Arrays.stream(stateType.getEnumConstants()).map(StateNames::name).collect(Collectors.joining(", "));
    }
}
