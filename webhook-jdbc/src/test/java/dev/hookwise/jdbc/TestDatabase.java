package dev.hookwise.jdbc;

/**
 * The databases the tests run against. PostgreSQL and MariaDB are the servers every machine of
 * this project runs ({@code .ci/run} starts them); H2 is in-memory.
 */
enum TestDatabase {
    POSTGRESQL("PostgreSQL at 127.0.0.1:5432 (user postgres, database test)",
            "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=5", "postgres", "",
            "jdbc:postgresql://127.0.0.1:1/test?connectTimeout=2&password=%s", JdbcDialect.POSTGRESQL,
            "to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')"),
    MARIADB("MariaDB at 127.0.0.1:3306 (user root, database test)",
            "jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=5000", "root", "",
            "jdbc:mariadb://127.0.0.1:1/test?connectTimeout=2000&password=%s", JdbcDialect.MYSQL,
            "DATE_FORMAT(%s, '%%Y-%%m-%%d %%H:%%i:%%s.%%f')"),
    H2("H2 in-memory", null, "sa", "",
            "jdbc:h2:tcp://127.0.0.1:1/mem:unreachable;PASSWORD=%s", JdbcDialect.H2,
            "FORMATDATETIME(%s, 'yyyy-MM-dd HH:mm:ss.SSS', 'en', 'UTC')");

    final String description;
    private final String url;
    final String user;
    final String password;
    /** A URL on a closed port, with a password in it that must never surface. */
    final String unreachableUrlTemplate;
    final JdbcDialect dialect;
    /** SQL rendering the column formatted in as {@code yyyy-MM-dd HH:mm:ss.SSS…} in UTC. */
    private final String utcTextTemplate;

    TestDatabase(String description, String url, String user, String password, String unreachableUrlTemplate,
            JdbcDialect dialect, String utcTextTemplate) {
        this.description = description;
        this.url = url;
        this.user = user;
        this.password = password;
        this.unreachableUrlTemplate = unreachableUrlTemplate;
        this.dialect = dialect;
        this.utcTextTemplate = utcTextTemplate;
    }

    /** SQL rendering {@code column} as {@code yyyy-MM-dd HH:mm:ss.SSS…} in UTC. */
    String utcText(String column) {
        return String.format(utcTextTemplate, column);
    }

    /** The URL of the shared database; for H2, an in-memory database named {@code name}. */
    String url(String name) {
        return this == H2 ? "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1" : url;
    }
}
