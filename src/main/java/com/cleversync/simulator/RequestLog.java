package com.cleversync.simulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts of the requests the simulator answered, by path (without query) and by status. */
public final class RequestLog {

    private final LongAdder total = new LongAdder();
    private final Map<String, LongAdder> byPath = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();

    void record(String path, int status) {
        total.increment();
        byPath.computeIfAbsent(path, k -> new LongAdder()).increment();
        byStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
    }

    public long total() {
        return total.sum();
    }

    /** Requests whose path starts with {@code pathPrefix}, e.g. {@code "/v3.0/sections"}. */
    public long count(String pathPrefix) {
        long sum = 0;
        for (Map.Entry<String, LongAdder> entry : byPath.entrySet()) {
            if (entry.getKey().startsWith(pathPrefix)) {
                sum += entry.getValue().sum();
            }
        }
        return sum;
    }

    /** Requests so far by path (without query). */
    public Map<String, Long> byPath() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        byPath.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    public long countStatus(int status) {
        LongAdder count = byStatus.get(status);
        return count == null ? 0 : count.sum();
    }

    public void reset() {
        total.reset();
        byPath.clear();
        byStatus.clear();
    }

    @Override
    public String toString() {
        return "RequestLog[total=" + total() + ", byStatus=" + byStatus + "]";
    }
}
