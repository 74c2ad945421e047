package dev.hookwise.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The tests' own reads and writes, each on a connection of its own with string parameters. */
final class TestSql {

    private TestSql() {}

    /** Runs an update; returns its row count. */
    static int update(DataSource pool, String sql, String... params) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    /** The first column of the query's single row, e.g. a {@code COUNT(*)}. */
    static long number(DataSource pool, String sql, String... params) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first column of every row of the query, in its order. */
    static List<String> strings(DataSource pool, String sql, String... params) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, String... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setString(i + 1, params[i]);
        }
        return ps;
    }
}
