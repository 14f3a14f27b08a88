package com.cleversync.system;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** Turns "the database is not there" into one clear line without credentials. */
public final class DatabaseErrors {

    private DatabaseErrors() {
    }

    /** The SQL exception in the chain if it says the database could not be reached or refused the login. */
    public static SQLException connectionFailure(Throwable ex) {
        boolean network = false;
        SQLException sql = null;
        for (Throwable t = ex; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                network = true;
            }
            if (t instanceof SQLException s && sql == null) {
                sql = s;
            }
            if (t instanceof SQLNonTransientConnectionException || t instanceof SQLTransientConnectionException
                    || (t instanceof SQLException s2 && s2.getSQLState() != null
                    && (s2.getSQLState().startsWith("08") || s2.getSQLState().equals("28000")))) {
                return (SQLException) t;
            }
        }
        return network ? sql : null;
    }

    public static String describe(SQLException ex) {
        String url = sanitizedUrl(System.getProperty("spring.datasource.url",
                System.getenv().getOrDefault("SPRING_DATASOURCE_URL", "jdbc:mysql://127.0.0.1:3306/cleversync")));
        String reason = ex.getMessage() == null ? ex.getClass().getSimpleName()
                : ex.getMessage().replaceAll("\\s*\\R\\s*", " ");
        int cut = reason.indexOf(" The last packet");
        if (cut > 0) {
            reason = reason.substring(0, cut);
        }
        return "cannot reach the database at " + url + ": " + Secrets.redact(reason);
    }

    /** The JDBC URL without user info or query parameters (which may carry a password). */
    public static String sanitizedUrl(String url) {
        if (url == null) {
            return "(not set)";
        }
        String s = url;
        int q = s.indexOf('?');
        if (q >= 0) {
            s = s.substring(0, q);
        }
        return s.replaceAll("//[^/@]*@", "//");
    }
}
