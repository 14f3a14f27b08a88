package com.cleversync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** CPU time of another process (user + system), from {@code /proc/<pid>/stat}; -1 where unreadable. */
final class ProcessCpu {

    private static final double TICKS_PER_SECOND = 100.0;

    private final long pid;

    ProcessCpu(long pid) {
        this.pid = pid;
    }

    /** The first process whose command name is one of {@code names}, or null. */
    static ProcessCpu byName(String... names) {
        List<String> wanted = List.of(names);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return wanted.contains(Files.readString(p.resolve("comm")).strip());
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .findFirst().map(p -> new ProcessCpu(Long.parseLong(p.getFileName().toString()))).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    double seconds() {
        try {
            return ofStat(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** User + system seconds of a {@code /proc/…/stat} line (a process's or a thread's). */
    static double ofStat(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields 14 and 15 of stat (utime, stime); f[0] is field 3.
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }
}
