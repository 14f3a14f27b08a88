package com.cleversync.bench;

import java.util.List;

/**
 * One of the benchmark's targets: the figure of a run it judges (a key of the run's {@code figures}) and its limit.
 * {@link ImportBenchmark} judges each run by them, {@link BenchSummary} the median of several runs.
 */
record Target(String name, String figure, double limit, boolean atLeast) {

    static final List<Target> ALL = List.of(
            new Target("everyImportCompleted", "failedImports", 0, false),
            new Target("coldRowRateAtLeast40PctOfLoadData", "coldToLoadDataRatio", 0.40, true),
            new Target("cleverRequestsAtMost1.2xMinimum", "worstRequestsRatio", 1.2, false),
            new Target("peakHeapAtMost384Mb", "peakHeapMb", 384, false),
            new Target("peakHeapAtMost20PctAboveM", "peakHeapAboveM", 0.20, false),
            new Target("nightlyUnchangedAtMost25PctOfCold", "unchangedNightToCold", 0.25, false),
            new Target("nightlyChangedAtMost35PctOfCold", "changedNightToCold", 0.35, false));

    boolean met(double value) {
        return atLeast ? value >= limit : value <= limit;
    }

    static Target named(String name) {
        return ALL.stream().filter(t -> t.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no target " + name));
    }
}
