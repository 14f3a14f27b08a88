package com.cleversync.system;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@link BulkLoad} and what its connections need. LOAD DATA LOCAL only works on a connection that announced the
 * capability when it connected; Connector/J announces it when {@code allowLoadLocalInfile} or
 * {@code allowLoadLocalInfileInPath} is set. The pool's connections get {@code allowLoadLocalInfileInPath} set to an
 * empty directory of this process's own: a file the server might ask for is only ever read from there, so never,
 * and {@link BulkLoad} feeds its statements from memory.
 */
@Configuration(proxyBeanMethods = false)
public class BulkLoadConfig {

    private static final Logger log = LoggerFactory.getLogger(BulkLoadConfig.class);

    @Bean("bulkLoad")
    BulkLoad bulkLoad(JdbcTemplate jdbc, Environment env) {
        return new BulkLoad(jdbc, enabled(env));
    }

    /** {@code clever-sync.import.bulk-load}, on unless set to false. */
    private static boolean enabled(Environment env) {
        return env.getProperty("clever-sync.import.bulk-load", Boolean.class, true);
    }

    @Bean("localInfileCapability")
    static BeanPostProcessor localInfileCapability(Environment env) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource ds && enabled(env) && !configured(ds)) {
                    Path empty = emptyDirectory();
                    if (empty != null) {
                        ds.addDataSourceProperty("allowLoadLocalInfileInPath", empty.toString());
                    }
                }
                return bean;
            }
        };
    }

    /** The URL or the pool's properties already say how the driver treats local files: they are left as they are. */
    private static boolean configured(HikariDataSource ds) {
        String url = String.valueOf(ds.getJdbcUrl()).toLowerCase(Locale.ROOT);
        return url.contains("allowloadlocalinfile") || ds.getDataSourceProperties().stringPropertyNames().stream()
                .anyMatch(p -> p.toLowerCase(Locale.ROOT).startsWith("allowloadlocalinfile"));
    }

    private static Path emptyDirectory() {
        try {
            Path dir = Files.createTempDirectory("clever-sync-no-local-files-");
            File file = dir.toFile();
            file.deleteOnExit();
            return dir;
        } catch (IOException | RuntimeException e) {
            log.warn("cannot create a temporary directory ({}); imports write with batched INSERTs", e.toString());
            return null;
        }
    }
}
