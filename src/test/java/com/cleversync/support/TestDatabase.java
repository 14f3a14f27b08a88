package com.cleversync.support;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The one database every DB test uses. With a Docker engine: a Testcontainers MySQL 8 (unless
 * {@code CLEVER_SYNC_TEST_DB=external}). Without one: the server named by {@code CLEVER_SYNC_TEST_DB_URL}
 * (default the local MariaDB/MySQL at 127.0.0.1:3306), user {@code CLEVER_SYNC_TEST_DB_USERNAME} (root),
 * password {@code CLEVER_SYNC_TEST_DB_PASSWORD} (empty). Each test JVM gets a schema of its own, dropped at
 * exit, so concurrent builds never see each other; test classes clean the tables before each test.
 */
public final class TestDatabase {

    private static final String PARAMS = "?rewriteBatchedStatements=true&connectTimeout=5000&characterEncoding=UTF-8"
            + "&useUnicode=true&serverTimezone=UTC";
    private static volatile TestDatabase instance;

    private final String serverUrl;
    private final String username;
    private final String password;
    private final String schema;
    private final String description;

    private TestDatabase(String serverUrl, String username, String password, String description) {
        this.serverUrl = serverUrl;
        this.username = username;
        this.password = password;
        this.description = description;
        this.schema = "cs_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public static TestDatabase get() {
        if (instance == null) {
            synchronized (TestDatabase.class) {
                if (instance == null) {
                    instance = start();
                }
            }
        }
        return instance;
    }

    private static TestDatabase start() {
        String mode = env("CLEVER_SYNC_TEST_DB", "auto").toLowerCase(Locale.ROOT);
        TestDatabase db;
        if (!mode.equals("external") && dockerAvailable()) {
            MySQLContainer mysql = new MySQLContainer("mysql:8.4").withUsername("root").withPassword("test");
            mysql.start();
            String url = "jdbc:mysql://" + mysql.getHost() + ":" + mysql.getMappedPort(3306) + "/";
            db = new TestDatabase(url, "root", "test", "Testcontainers MySQL 8.4");
        } else {
            String url = env("CLEVER_SYNC_TEST_DB_URL", "jdbc:mysql://127.0.0.1:3306/");
            if (!url.endsWith("/")) {
                url = url + "/";
            }
            db = new TestDatabase(url, env("CLEVER_SYNC_TEST_DB_USERNAME", "root"),
                    env("CLEVER_SYNC_TEST_DB_PASSWORD", ""), "external server " + url);
        }
        db.createSchema();
        Runtime.getRuntime().addShutdownHook(new Thread(db::dropSchema, "drop-test-schema"));
        return db;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private void createSchema() {
        try (Connection c = DriverManager.getConnection(serverUrl + PARAMS, username, password);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } catch (SQLException e) {
            throw new IllegalStateException("Test database unavailable (" + description + "): " + e.getMessage()
                    + ". Start MariaDB/MySQL on 127.0.0.1:3306 or set CLEVER_SYNC_TEST_DB_URL.", e);
        }
    }

    private void dropSchema() {
        try (Connection c = DriverManager.getConnection(serverUrl + PARAMS, username, password);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + schema);
        } catch (SQLException ignored) {
            // the server is gone; nothing left to clean
        }
    }

    /** JDBC URL of this JVM's schema. */
    public String url() {
        return serverUrl + schema + PARAMS;
    }

    /** JDBC URL of another, fresh schema on the same server (for tests that need an empty database). */
    public String createScratchSchema(String suffix) {
        String name = schema + "_" + suffix;
        try (Connection c = DriverManager.getConnection(serverUrl + PARAMS, username, password);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> dropSchema(name)));
        return serverUrl + name + PARAMS;
    }

    private void dropSchema(String name) {
        try (Connection c = DriverManager.getConnection(serverUrl + PARAMS, username, password);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
        } catch (SQLException ignored) {
            // best effort
        }
    }

    public String schema() {
        return schema;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public String description() {
        return description;
    }
}
