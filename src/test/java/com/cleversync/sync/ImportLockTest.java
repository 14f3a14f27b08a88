package com.cleversync.sync;

import com.cleversync.support.DatabaseTest;
import com.cleversync.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The import lock on the real server: exclusive across connections and JVMs, freed when its holder dies. */
class ImportLockTest extends DatabaseTest {

    @Autowired
    ImportLock lock;

    @Test
    void onlyOneLeaseAtATimeAcrossTwoDataSources() {
        TestDatabase db = TestDatabase.get();
        ImportLock other = new ImportLock(new DriverManagerDataSource(db.url(), db.username(), db.password()));

        Optional<ImportLock.Lease> first = lock.tryAcquire(41);
        assertThat(first).isPresent();
        assertThat(lock.isHeldHere(41)).isTrue();
        assertThat(other.tryAcquire(41)).isEmpty();
        assertThat(lock.tryAcquire(41)).as("a second lease in the same JVM").isEmpty();
        assertThat(other.isHeld(41)).isTrue();
        assertThat(other.isHeld(42)).isFalse();

        try (ImportLock.Lease second = other.tryAcquire(42).orElseThrow()) {
            assertThat(lock.isHeld(42)).isTrue();
        }
        assertThat(lock.isHeld(42)).isFalse();

        first.get().close();
        first.get().close();
        assertThat(lock.isHeldHere(41)).isFalse();
        assertThat(other.isHeld(41)).isFalse();
        try (ImportLock.Lease again = other.tryAcquire(41).orElseThrow()) {
            assertThat(lock.tryAcquire(41)).isEmpty();
        }
    }

    @Test
    void lockHeldByAnotherJvmIsFreedWhenThatJvmIsKilled() throws Exception {
        TestDatabase db = TestDatabase.get();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                ImportLockHolder.class.getName(), db.url(), db.username(), "77", db.password()))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals("HELD") && !line.equals("BUSY"));
            assertThat(line).as("child JVM output").isEqualTo("HELD");

            assertThat(lock.isHeld(77)).isTrue();
            assertThat(lock.isHeldHere(77)).isFalse();
            assertThat(lock.tryAcquire(77)).isEmpty();

            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (lock.isHeld(77) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            try (ImportLock.Lease lease = lock.tryAcquire(77).orElseThrow()) {
                assertThat(lock.isHeld(77)).isTrue();
            }
        } finally {
            child.destroyForcibly();
        }
    }
}
