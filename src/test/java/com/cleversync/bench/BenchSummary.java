package com.cleversync.bench;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Several benchmark runs of one size side by side ({@code BENCH_RUNS=N bench/run L}): each figure's median, least and
 * greatest value, each target judged on the median, and in how many runs it was met. On a shared machine one run's
 * wall times move with its neighbours' load (by a fifth or more from one run to the next), and a target near its
 * limit can be met in one run and not in the next: the median of several runs is what the summary judges.
 *
 * <p>{@code java ... com.cleversync.bench.BenchSummary --out target/bench bench-L-1.json bench-L-2.json ...} writes
 * {@code bench-SIZE-summary.json} and {@code .md} next to the runs' files.
 */
public final class BenchSummary {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The figures shown besides the targets' own, in the table's order. */
    private static final List<Row> ROWS = List.of(
            new Row("cold import s", "coldWallSeconds", Unit.SECONDS),
            new Row("LOAD DATA into the same tables s (the faster of two)", "loadDataSeconds", Unit.SECONDS),
            new Row("LOAD DATA without foreign keys s (the faster of two)", "loadDataNoForeignKeysSeconds", Unit.SECONDS),
            new Row("cold row rate, % of LOAD DATA's into the same tables", "coldToLoadDataRatio", Unit.PERCENT),
            new Row("cold row rate, % of LOAD DATA's without foreign keys", "coldToLoadDataNoForeignKeysRatio", Unit.PERCENT),
            new Row("Clever requests, worst phase, × the minimum", "worstRequestsRatio", Unit.TIMES),
            new Row("peak heap MB", "peakHeapMb", Unit.MEGABYTES),
            new Row("peak heap, % above M's", "peakHeapAboveM", Unit.PERCENT),
            new Row("nightly, nothing changed (events), % of the cold import", "unchangedNightToCold", Unit.PERCENT),
            new Row("full sync of the unchanged district, % of the cold import", "fullSyncToCold", Unit.PERCENT),
            new Row("night after the changes s", "changedNightSeconds", Unit.SECONDS),
            new Row("night after the changes, s before its first import", "changedNightBeforeFirstImportSeconds", Unit.SECONDS),
            new Row("night after the changes, % of the cold import", "changedNightToCold", Unit.PERCENT),
            new Row("failed imports", "failedImports", Unit.COUNT),
            new Row("machine: a generator step, ns", "computeNanos", Unit.NUMBER),
            new Row("machine: a step through 32 MB at random, ns", "memoryNanos", Unit.NUMBER),
            new Row("machine: a database round trip, µs", "roundTripMicros", Unit.NUMBER));

    enum Unit { SECONDS, PERCENT, TIMES, MEGABYTES, COUNT, NUMBER }

    record Row(String label, String figure, Unit unit) {
    }

    /** A target over the runs: its figure's median and the runs that met it. */
    record Judged(Target target, double median, int metIn, int runs) {
        boolean met() {
            return target.met(median);
        }
    }

    private BenchSummary() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of("target/bench");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out")) {
                out = Path.of(args[++i]);
            } else {
                files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("usage: BenchSummary [--out DIR] RUN.json...");
        }
        List<JsonNode> runs = new ArrayList<>();
        for (Path file : files) {
            runs.add(JSON.readTree(file.toFile()));
        }
        String md = write(runs, out);
        System.out.println();
        System.out.println(md);
        // As for one run: an import that failed makes the figures meaningless; a target not met is a finding.
        System.exit(values(runs, "failedImports").stream().anyMatch(n -> n > 0) ? 1 : 0);
    }

    /** Writes the summary's JSON and Markdown into {@code out}; returns the Markdown. */
    static String write(List<JsonNode> runs, Path out) throws IOException {
        String size = size(runs);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("size", size);
        json.put("runs", runs.stream().map(r -> r.path("finishedAt").asString("")).toList());
        json.put("revisions", revisions(runs));
        Map<Row, Spread> spreads = spreads(runs);
        List<Judged> judged = judge(runs);
        Map<String, Object> figures = new LinkedHashMap<>();
        spreads.forEach((row, spread) -> figures.put(row.figure(),
                Map.of("median", spread.median(), "min", spread.min(), "max", spread.max(), "runs", spread.values())));
        json.put("figures", figures);
        Map<String, Object> targets = new LinkedHashMap<>();
        for (Judged j : judged) {
            targets.put(j.target().name(), Map.of("met", j.met(), "median", j.median(), "metInRuns", j.metIn(), "runs", j.runs()));
        }
        json.put("targets", targets);
        Files.createDirectories(out);
        Files.writeString(out.resolve("bench-" + size + "-summary.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        String md = markdown(runs, spreads, judged);
        Files.writeString(out.resolve("bench-" + size + "-summary.md"), md);
        return md;
    }

    /** Each target with a figure in every run, judged on the median of the runs. */
    static List<Judged> judge(List<JsonNode> runs) {
        List<Judged> judged = new ArrayList<>();
        for (Target target : Target.ALL) {
            List<Double> values = values(runs, target.figure());
            if (values.size() == runs.size()) {
                int metIn = (int) values.stream().filter(target::met).count();
                judged.add(new Judged(target, median(values), metIn, runs.size()));
            }
        }
        return judged;
    }

    /** The summary's Markdown: the figures' spreads and the judged targets as {@link #write} worked them out. */
    private static String markdown(List<JsonNode> runs, Map<Row, Spread> spreads, List<Judged> judged) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Import benchmark, size ").append(size(runs)).append(": ").append(runs.size()).append(" runs (code ")
                .append(String.join(", ", revisions(runs))).append(")\n\n");
        sb.append("| Figure | Median | Least | Greatest |");
        for (int i = 1; i <= runs.size(); i++) {
            sb.append(" Run ").append(i).append(" |");
        }
        sb.append("\n|---|---:|---:|---:|").append("---:|".repeat(runs.size())).append('\n');
        spreads.forEach((row, spread) -> {
            sb.append("| ").append(row.label()).append(" | ").append(format(spread.median(), row.unit())).append(" | ")
                    .append(format(spread.min(), row.unit())).append(" | ").append(format(spread.max(), row.unit())).append(" |");
            for (JsonNode run : runs) {
                JsonNode v = run.path("figures").path(row.figure());
                sb.append(' ').append(v.isNumber() ? format(v.asDouble(), row.unit()) : "–").append(" |");
            }
            sb.append('\n');
        });
        sb.append("\n| Target | Judged on the median | Met in |\n|---|---|---:|\n");
        for (Judged j : judged) {
            Unit unit = ROWS.stream().filter(r -> r.figure().equals(j.target().figure())).findFirst().orElseThrow().unit();
            sb.append("| ").append(j.target().name()).append(" | ").append(j.met() ? "met: " : "NOT met: ")
                    .append(format(j.median(), unit)).append(" (limit ").append(j.target().atLeast() ? "≥ " : "≤ ")
                    .append(format(j.target().limit(), unit)).append(") | ").append(j.metIn()).append(" of ").append(j.runs())
                    .append(" runs |\n");
        }
        return sb.toString();
    }

    /** A figure over the runs that have it: its median, least and greatest value, and the values in run order. */
    record Spread(double median, double min, double max, List<Double> values) {
    }

    /** Each row's figure's spread over the runs, in {@link #ROWS}' order; a figure no run has is left out. */
    private static Map<Row, Spread> spreads(List<JsonNode> runs) {
        Map<Row, Spread> spreads = new LinkedHashMap<>();
        for (Row row : ROWS) {
            List<Double> values = values(runs, row.figure());
            if (!values.isEmpty()) {
                spreads.put(row, new Spread(median(values), values.stream().min(Double::compare).orElseThrow(),
                        values.stream().max(Double::compare).orElseThrow(), values));
            }
        }
        return spreads;
    }

    private static List<Double> values(List<JsonNode> runs, String figure) {
        List<Double> values = new ArrayList<>();
        for (JsonNode run : runs) {
            if (!run.has("figures")) {
                throw new IllegalArgumentException("a run of " + run.path("finishedAt").asString("?")
                        + " has no figures: it was written by an earlier version of the benchmark");
            }
            JsonNode v = run.get("figures").get(figure);
            if (v != null && v.isNumber()) {
                values.add(v.asDouble());
            }
        }
        return values;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String size(List<JsonNode> runs) {
        Set<String> sizes = runs.stream().map(r -> r.path("size").asString("?")).collect(Collectors.toCollection(LinkedHashSet::new));
        if (sizes.size() != 1) {
            throw new IllegalArgumentException("the runs are of different sizes: " + sizes);
        }
        return sizes.iterator().next();
    }

    private static List<String> revisions(List<JsonNode> runs) {
        return List.copyOf(runs.stream().map(r -> r.path("revision").asString("unknown"))
                .collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    static String format(double v, Unit unit) {
        return switch (unit) {
            case SECONDS, NUMBER -> String.format(Locale.ROOT, "%.2f", v);
            case PERCENT -> String.format(Locale.ROOT, "%.1f%%", v * 100);
            case TIMES -> String.format(Locale.ROOT, "%.2f×", v);
            case MEGABYTES -> String.format(Locale.ROOT, "%.1f", v);
            case COUNT -> String.format(Locale.ROOT, "%.0f", v);
        };
    }
}
