package com.cleversync.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generation time, retained heap and serving speed for a large district (40 schools x 2500 students).
 * Run with {@code ./mvnw -o test -Dtest=SimulatorBenchmark -Dbenchmark=true}; prints its numbers.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class SimulatorBenchmark {

    @Test
    void largeDistrict() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        settle();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        long start = System.nanoTime();
        long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        try (CleverSimulator clever = CleverSimulator.start(SimulatorSettings.defaults().withSchools(40)
                .withStudentsPerSchool(2500).withRateLimitPerMinute(1_000_000))) {
            long generated = System.nanoTime() - start;
            long generatedCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart;
            settle();
            long heap = memory.getHeapMemoryUsage().getUsed() - heapBefore;
            SimulatedDistrict d = clever.district();
            int users = d.users().size();
            int sections = d.sections().size();
            System.out.printf("generated %d users, %d sections in %d ms wall, %d ms CPU (load average %.1f on %d"
                    + " cores); retained heap ~%d MB%n", users, sections, generated / 1_000_000,
                    generatedCpu / 1_000_000, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors(), heap / (1024 * 1024));

            SimHttp http = new SimHttp(clever);
            http.all("/v3.0/sections?limit=1000");
            for (int limit : new int[] {100, 1000, 10_000}) {
                long t0 = System.nanoTime();
                int pages = 0;
                long bytes = 0;
                String next = "/v3.0/users?limit=" + limit;
                while (next != null) {
                    SimHttp.Response r = http.get(next);
                    bytes += r.body().length();
                    next = SimHttp.link(r.json(), "next");
                    pages++;
                    if (limit == 100 && pages == 500) {
                        break;
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("users limit=%d: %d pages in %.2f s = %.0f pages/s, %.0f records/s, %.1f MB/s%n",
                        limit, pages, seconds, pages / seconds, Math.min(users, pages * (double) limit) / seconds,
                        bytes / seconds / 1e6);
            }
            long t0 = System.nanoTime();
            clever.mutations().changeShare(0.05, 1);
            System.out.printf("changeShare(0.05) on the large district: %d events in %d ms%n",
                    d.events().size(), (System.nanoTime() - t0) / 1_000_000);
            assertThat(users).isGreaterThan(250_000);
        }
    }

    private static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }
}
