package com.cleversync.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures one phase in this JVM: wall time, process CPU time, peak heap used (the heap just before each GC, and
 * a 10 ms sampler in between), peak live heap (just after each GC; G1's young collections leave the old
 * generation's garbage in it), peak retained heap (what a full collection, forced every {@value #RETAINED_EVERY_MS}
 * ms, leaves: the objects the import really holds), peak RSS ({@code VmHWM}, reset at the start
 * of the phase through {@code /proc/self/clear_refs}), and the CPU time of the simulator and database processes.
 */
final class PhaseMeter {

    private static final long MB = 1024 * 1024;

    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();
    private final AtomicLong peakRetained = new AtomicLong();
    static final long RETAINED_EVERY_MS = 5000;
    private final long startNanos = System.nanoTime();
    private final long startCpu = cpuNanos();
    private final double startJit = jitCpuSeconds();
    private final ProcessCpu sim;
    private final ProcessCpu db;
    private final double simStart;
    private final double dbStart;
    private final NotificationListener listener;
    private final Thread sampler;
    private volatile boolean running = true;

    private PhaseMeter(ProcessCpu sim, ProcessCpu db) {
        this.sim = sim;
        this.db = db;
        this.simStart = sim == null ? -1 : sim.seconds();
        this.dbStart = db == null ? -1 : db.seconds();
        System.gc();
        resetRssPeak();
        peakUsed.set(heapUsed());
        listener = (notification, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
                peakUsed.accumulateAndGet(heapOf(info.getMemoryUsageBeforeGc()), Math::max);
                peakLive.accumulateAndGet(heapOf(info.getMemoryUsageAfterGc()), Math::max);
            }
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
        }
        sampler = Thread.ofPlatform().daemon().name("bench-heap-sampler").start(() -> {
            long nextFullGc = System.currentTimeMillis() + RETAINED_EVERY_MS;
            while (running) {
                peakUsed.accumulateAndGet(heapUsed(), Math::max);
                if (System.currentTimeMillis() >= nextFullGc) {
                    System.gc();
                    peakRetained.accumulateAndGet(heapUsed(), Math::max);
                    nextFullGc = System.currentTimeMillis() + RETAINED_EVERY_MS;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    static PhaseMeter start(ProcessCpu sim, ProcessCpu db) {
        return new PhaseMeter(sim, db);
    }

    Map<String, Object> stop(String phase) throws InterruptedException {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        double cpu = (cpuNanos() - startCpu) / 1e9;
        double jit = jitCpuSeconds() - startJit;
        running = false;
        sampler.interrupt();
        sampler.join();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            try {
                ((NotificationEmitter) gc).removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException ignored) {
                // already gone
            }
        }
        // A phase without a GC has no after-GC figure: collect once to see what it left live.
        System.gc();
        peakLive.accumulateAndGet(heapUsed(), Math::max);
        peakRetained.accumulateAndGet(heapUsed(), Math::max);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", phase);
        m.put("wallSeconds", ImportBenchmark.round(wall, 2));
        m.put("cpuSeconds", ImportBenchmark.round(cpu, 2));
        if (startJit >= 0) {
            m.put("jitCpuSeconds", ImportBenchmark.round(jit, 2));
        }
        if (sim != null) {
            m.put("simulatorCpuSeconds", ImportBenchmark.round(sim.seconds() - simStart, 2));
        }
        if (db != null && dbStart >= 0) {
            m.put("databaseCpuSeconds", ImportBenchmark.round(db.seconds() - dbStart, 2));
        }
        m.put("peakHeapUsedMb", ImportBenchmark.round(peakUsed.get() / (double) MB, 1));
        m.put("peakLiveHeapMb", ImportBenchmark.round(peakLive.get() / (double) MB, 1));
        m.put("peakRetainedHeapMb", ImportBenchmark.round(peakRetained.get() / (double) MB, 1));
        m.put("heapCommittedMb", ImportBenchmark.round(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / (double) MB, 1));
        m.put("peakRssMb", ImportBenchmark.round(rssPeakKb() / 1024.0, 1));
        return m;
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long heapOf(Map<String, MemoryUsage> pools) {
        long sum = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                MemoryUsage u = pools.get(pool.getName());
                if (u != null) {
                    sum += u.getUsed();
                }
            }
        }
        return sum;
    }

    /**
     * CPU seconds of this JVM's JIT compiler threads (named "C1 CompilerThre…" and "C2 CompilerThre…" by Linux),
     * from {@code /proc/self/task}; -1 where unreadable. A compiler thread the JVM stops takes its time with it, so
     * this is a lower bound.
     */
    static double jitCpuSeconds() {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            double sum = 0;
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                        sum += ProcessCpu.ofStat(Files.readString(task.resolve("stat")));
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
            return sum;
        } catch (IOException e) {
            return -1;
        }
    }

    private static long cpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void resetRssPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            // Not Linux or not allowed: VmHWM then covers the process's whole life.
        }
    }

    private static long rssPeakKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return -1;
    }
}
