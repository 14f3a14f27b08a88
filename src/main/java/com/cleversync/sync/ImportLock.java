package com.cleversync.sync;

import com.cleversync.system.NamedLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * "Never two runs of the same import at once", across threads, JVMs and pods: the import's {@link NamedLock}
 * ({@code clever-sync.import.<database>.<id>}), held for as long as the run lasts. The server releases it when the
 * lease is closed or when the connection dies with the process, so a crash never leaves it behind.
 */
@Component("importLock")
public class ImportLock {

    private static final Logger log = LoggerFactory.getLogger(ImportLock.class);

    private final NamedLock locks;
    private final Set<Long> heldHere = ConcurrentHashMap.newKeySet();

    public ImportLock(DataSource dataSource) {
        this.locks = new NamedLock(dataSource, "import");
    }

    /** Takes the import's lock without waiting; empty when any process (this one included) holds it. */
    public Optional<Lease> tryAcquire(long eventImportId) {
        return locks.tryAcquire(eventImportId).map(held -> {
            heldHere.add(eventImportId);
            return new Lease(this, eventImportId, held);
        });
    }

    /** Whether any process on any pod holds the import's lock right now. */
    public boolean isHeld(long eventImportId) {
        return locks.isHeld(eventImportId);
    }

    /** Whether this process holds the import's lock (a lease it has not closed yet). */
    public boolean isHeldHere(long eventImportId) {
        return heldHere.contains(eventImportId);
    }

    private void release(Lease lease) {
        heldHere.remove(lease.eventImportId);
        // A broken connection took the lock with it; NamedLock made sure the pool never reuses it.
        lease.held.release().ifPresent(e ->
                log.warn("import {}: releasing the lock failed ({}); discarded its connection", lease.eventImportId, e.getMessage()));
    }

    /** A held import lock; closing it releases the lock and hands the connection back. Idempotent. */
    public static final class Lease implements AutoCloseable {
        private final ImportLock owner;
        private final long eventImportId;
        private final NamedLock.Held held;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(ImportLock owner, long eventImportId, NamedLock.Held held) {
            this.owner = owner;
            this.eventImportId = eventImportId;
            this.held = held;
        }

        public long eventImportId() {
            return eventImportId;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                owner.release(this);
            }
        }
    }
}
