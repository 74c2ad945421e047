package dev.hookwise.jdbc.multi;

/**
 * The first five arguments of every test's child JVM ({@link SecondInstanceMain},
 * {@code CrashingWorkerMain}): {@code <url> <user> <password> <tablePrefix> <effectsTable>}; each
 * main reads its own arguments after them.
 */
public record ChildDatabase(String url, String user, String password, String prefix, String effectsTable) {

    /** How many arguments the child's own start at. */
    public static final int ARGS = 5;

    /** The database arguments at the start of {@code args}. */
    public static ChildDatabase of(String[] args) {
        return new ChildDatabase(args[0], args[1], args[2], args[3], args[4]);
    }
}
