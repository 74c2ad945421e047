package dev.hookwise.cli;

/** The databases the CLI tests run against (the servers of .ci/run, and H2 in memory). */
enum TestDatabase {
    POSTGRESQL("PostgreSQL at 127.0.0.1:5432 (user postgres, database test)",
            "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=5", "postgres"),
    MARIADB("MariaDB at 127.0.0.1:3306 (user root, database test)",
            "jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=5000", "root"),
    H2("H2 in-memory", null, "sa");

    final String description;
    private final String url;
    final String user;

    TestDatabase(String description, String url, String user) {
        this.description = description;
        this.url = url;
        this.user = user;
    }

    /** The URL of the shared database; for H2, an in-memory database named {@code name}. */
    String url(String name) {
        return this == H2 ? "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1" : url;
    }
}
