package com.cleversync.incremental;

import com.cleversync.system.NamedLock;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.util.Optional;

/**
 * "One process works a district at a time" (Clever's rate limit is per district token): the account's
 * {@link NamedLock} ({@code clever-sync.district.<database>.<id>}), held while the district's nightly runs and
 * released by the server when the process dies. The remote-partitioning manager also reads it to tell a busy
 * worker from a dead one.
 */
@Component("districtLock")
public class DistrictLock {

    private final NamedLock locks;

    public DistrictLock(DataSource dataSource) {
        this.locks = new NamedLock(dataSource, "district");
    }

    /** Takes the district's lock without waiting; empty when any process holds it. */
    public Optional<Lease> tryAcquire(long accountId) {
        return locks.tryAcquire(accountId).map(Lease::new);
    }

    /** Whether any process on any pod holds the district's lock now. */
    public boolean isHeld(long accountId) {
        return locks.isHeld(accountId);
    }

    /** A held district lock; closing releases it. */
    public static final class Lease implements AutoCloseable {
        private final NamedLock.Held held;

        private Lease(NamedLock.Held held) {
            this.held = held;
        }

        @Override
        public void close() {
            held.release();
        }
    }
}
