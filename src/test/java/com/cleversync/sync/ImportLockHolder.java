package com.cleversync.sync;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A second JVM for {@link ImportLockTest}: takes one import's lock, says so on stdout, then holds it until
 * it is killed.
 */
public final class ImportLockHolder {

    private ImportLockHolder() {
    }

    public static void main(String[] args) throws InterruptedException {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(args[0], args[1], args.length > 3 ? args[3] : "");
        ImportLock lock = new ImportLock(dataSource);
        var lease = lock.tryAcquire(Long.parseLong(args[2]));
        System.out.println(lease.isPresent() ? "HELD" : "BUSY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
