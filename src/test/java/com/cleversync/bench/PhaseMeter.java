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
 * Measures one phase in this JVM: wall time, process CPU time, the time the JVM's collectors stopped it (the
 * {@link GarbageCollectorMXBean}s' collection time: pauses of every import thread at once), peak heap used (the heap
 * just before each GC, and a 10 ms sampler in between), peak live heap (just after each GC; young collections leave the
 * old generation's garbage in it), retained heap (what a full collection at the end of the phase, after its wall, CPU
 * and pause figures are taken, leaves: the objects the import still holds), peak RSS ({@code VmHWM}, reset at the start
 * of the phase through {@code /proc/self/clear_refs}), and the CPU time of the simulator and database processes.
 * <p>
 * The phase itself runs undisturbed: a full collection stops every thread (about 0.1 s each at size L), which the
 * nightly pod never does. {@code -Dbench.retained-every-ms=5000} forces one every 5 s during the phase as well, to follow
 * the retained heap through it, at that cost.
 */
final class PhaseMeter {

    private static final long MB = 1024 * 1024;

    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();
    private final AtomicLong peakRetained = new AtomicLong();
    /** Full collections forced during the phase, every so many ms (0: none, only the one after it). */
    static final long RETAINED_EVERY_MS = Long.getLong("bench.retained-every-ms", 0);
    private final long startNanos = System.nanoTime();
    private final long startCpu = cpuNanos();
    private final double startJit = jitCpuSeconds();
    private final long[] startGc = gcTotals();
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
                if (RETAINED_EVERY_MS > 0 && System.currentTimeMillis() >= nextFullGc) {
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
        long[] pauses = gcTotals();
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
        m.put("gcPauseSeconds", ImportBenchmark.round((pauses[0] - startGc[0]) / 1000.0, 2));
        m.put("gcCount", pauses[1] - startGc[1]);
        m.put("peakHeapUsedMb", ImportBenchmark.round(peakUsed.get() / (double) MB, 1));
        m.put("peakLiveHeapMb", ImportBenchmark.round(peakLive.get() / (double) MB, 1));
        m.put("peakRetainedHeapMb", ImportBenchmark.round(peakRetained.get() / (double) MB, 1));
        m.put("heapCommittedMb", ImportBenchmark.round(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / (double) MB, 1));
        m.put("peakRssMb", ImportBenchmark.round(rssPeakKb() / 1024.0, 1));
        return m;
    }

    /** Milliseconds the collectors ran (the JVM stopped, for the serial collector) and collections, since start. */
    private static long[] gcTotals() {
        long ms = 0;
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
            count += Math.max(0, gc.getCollectionCount());
        }
        return new long[] {ms, count};
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
