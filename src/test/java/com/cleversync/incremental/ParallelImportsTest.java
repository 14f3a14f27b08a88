package com.cleversync.incremental;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a district's imports are run at once: the first alone until one completes (when they read the district's
 * contacts), then at most N together.
 */
class ParallelImportsTest {

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    /** An import that logs its start and end, and meets {@code barrier} (if any) while it runs. */
    private Supplier<String> run(String name, String status, CyclicBarrier barrier) {
        return () -> {
            log.add("start " + name);
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                if (barrier != null) {
                    barrier.await(10, TimeUnit.SECONDS);
                } else {
                    Thread.sleep(5);
                }
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new AssertionError(name + " never ran together with another import", e);
            } finally {
                running.decrementAndGet();
                log.add("end " + name);
            }
            return status;
        };
    }

    @Test
    void importsThatReadNoContactsStartTogetherFromTheFirst() {
        CyclicBarrier trio = new CyclicBarrier(3);
        List<Supplier<String>> runs = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            runs.add(run(name, "COMPLETED", trio));
        }

        // With the first alone, a would wait for b and c in vain (and fail the barrier after 10 s).
        assertThat(ParallelImports.runAll(runs, 3, false)).isTrue();

        assertThat(mostAtOnce.get()).isEqualTo(3);
        assertThat(log.subList(0, 3)).containsExactlyInAnyOrder("start a", "start b", "start c");
    }

    @Test
    void theFirstRunsAloneThenTwoRunTogetherAndNeverMore() {
        CyclicBarrier pair = new CyclicBarrier(2);
        List<Supplier<String>> runs = new ArrayList<>(List.of(run("a", "COMPLETED", null)));
        for (String name : List.of("b", "c", "d", "e")) {
            runs.add(run(name, "COMPLETED", pair));
        }

        assertThat(ParallelImports.runAll(runs, 2)).isTrue();

        assertThat(log.subList(0, 2)).containsExactly("start a", "end a");
        // Each of b..e waited at the barrier for a second import: two ran at once, and the pool holds no third.
        assertThat(mostAtOnce.get()).isEqualTo(2);
        assertThat(log).hasSize(10);
    }

    @Test
    void untilOneCompletesTheyRunOneAfterTheOther() {
        List<Supplier<String>> runs = List.of(run("a", "FAILED", null), run("b", "RUNNING ELSEWHERE", null),
                run("c", "COMPLETED", null), run("d", "COMPLETED", null));

        assertThat(ParallelImports.runAll(runs, 3)).isFalse();

        assertThat(log.subList(0, 6)).containsExactly("start a", "end a", "start b", "end b", "start c", "end c");
        assertThat(mostAtOnce.get()).isEqualTo(1);
    }

    @Test
    void oneFailedImportAmongParallelOnesMakesTheNightIncomplete() {
        CyclicBarrier pair = new CyclicBarrier(2);
        List<Supplier<String>> runs = List.of(run("a", "COMPLETED", null), run("b", "COMPLETED", pair), run("c", "FAILED", pair));

        assertThat(ParallelImports.runAll(runs, 2)).isFalse();
        assertThat(mostAtOnce.get()).isEqualTo(2);
    }

    @Test
    void anImportThatThrowsIsRethrownAfterTheOthersEnded() {
        List<String> ended = Collections.synchronizedList(new ArrayList<>());
        Supplier<String> slow = () -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ended.add("slow");
            return "COMPLETED";
        };
        Supplier<String> broken = () -> {
            throw new IllegalStateException("database gone");
        };
        List<Supplier<String>> runs = List.of(run("a", "COMPLETED", null), broken, slow);

        assertThatThrownBy(() -> ParallelImports.runAll(runs, 2)).isInstanceOf(IllegalStateException.class).hasMessage("database gone");
        assertThat(ended).containsExactly("slow");
    }

    @Test
    void concurrencyOneRunsThemInOrder() {
        List<Supplier<String>> runs = List.of(run("a", "COMPLETED", null), run("b", "COMPLETED", null), run("c", "COMPLETED", null));

        assertThat(ParallelImports.runAll(runs, 1)).isTrue();

        assertThat(log).containsExactly("start a", "end a", "start b", "end b", "start c", "end c");
        assertThatThrownBy(() -> ParallelImports.runAll(runs, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noImportsIsAQuietNight() {
        assertThat(ParallelImports.runAll(List.of(), 2)).isTrue();
    }
}
