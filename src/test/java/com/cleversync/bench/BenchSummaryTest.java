package com.cleversync.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchSummaryTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void judgesEachTargetOnTheMedianAndCountsTheRunsThatMetIt() throws Exception {
        List<JsonNode> runs = List.of(run("a", 0.413, 0.414, 209.6), run("b", 0.382, 0.352, 213.7), run("c", 0.304, 0.262, 214.7),
                run("d", 0.369, 0.266, 212.0));

        Map<String, BenchSummary.Judged> judged = byName(BenchSummary.judge(runs));

        BenchSummary.Judged cold = judged.get("coldRowRateAtLeast40PctOfLoadData");
        assertThat(cold.median()).isEqualTo((0.369 + 0.382) / 2);
        assertThat(cold.metIn()).isEqualTo(1);
        assertThat(cold.met()).isFalse();
        BenchSummary.Judged night = judged.get("nightlyChangedAtMost35PctOfCold");
        assertThat(night.median()).isEqualTo((0.266 + 0.352) / 2);
        assertThat(night.metIn()).isEqualTo(2);
        assertThat(night.met()).isTrue();
        assertThat(judged.get("peakHeapAtMost384Mb").metIn()).isEqualTo(4);
        // No run compared its heap with size M's: that target is not judged.
        assertThat(judged).doesNotContainKey("peakHeapAtMost20PctAboveM");
    }

    @Test
    void writesTheSummaryBesideTheRuns(@TempDir Path dir) throws Exception {
        List<JsonNode> runs = List.of(run("a", 0.413, 0.414, 209.6), run("b", 0.382, 0.352, 213.7), run("c", 0.304, 0.262, 214.7));

        String md = BenchSummary.write(runs, dir);

        assertThat(md).contains("size L: 3 runs (code abc1234)")
                .contains("| cold row rate, % of LOAD DATA's into the same tables | 38.2% | 30.4% | 41.3% | 41.3% | 38.2% | 30.4% |")
                .contains("| coldRowRateAtLeast40PctOfLoadData | NOT met: 38.2% (limit ≥ 40.0%) | 1 of 3 runs |")
                .contains("| nightlyChangedAtMost35PctOfCold | NOT met: 35.2% (limit ≤ 35.0%) | 1 of 3 runs |");
        JsonNode json = JSON.readTree(dir.resolve("bench-L-summary.json").toFile());
        assertThat(json.at("/targets/coldRowRateAtLeast40PctOfLoadData/met").asBoolean()).isFalse();
        assertThat(json.at("/figures/peakHeapMb/max").asDouble()).isEqualTo(214.7);
        assertThat(Files.readString(dir.resolve("bench-L-summary.md"))).isEqualTo(md);
    }

    @Test
    void refusesRunsWithoutFiguresOrOfDifferentSizes(@TempDir Path dir) {
        JsonNode old = JSON.createObjectNode().put("size", "L").put("finishedAt", "20261206-120000");
        assertThatThrownBy(() -> BenchSummary.judge(List.of(old))).hasMessageContaining("earlier version of the benchmark");

        JsonNode m = ((tools.jackson.databind.node.ObjectNode) run("m", 0.3, 0.2, 190)).put("size", "M");
        assertThatThrownBy(() -> BenchSummary.write(List.of(run("a", 0.4, 0.3, 200), m), dir)).hasMessageContaining("different sizes");
        assertThat(dir).isEmptyDirectory();
    }

    private static JsonNode run(String stamp, double cold, double night, double heap) {
        return JSON.valueToTree(Map.of("size", "L", "revision", "abc1234", "finishedAt", stamp, "figures", Map.of(
                "failedImports", 0, "coldWallSeconds", 20.0, "coldToLoadDataRatio", cold, "worstRequestsRatio", 1.0,
                "peakHeapMb", heap, "unchangedNightToCold", 0.006, "changedNightToCold", night)));
    }

    private static Map<String, BenchSummary.Judged> byName(List<BenchSummary.Judged> judged) {
        return judged.stream().collect(java.util.stream.Collectors.toMap(j -> j.target().name(), j -> j));
    }
}
