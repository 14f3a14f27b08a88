package com.cleversync.clever;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Items taken a batch ahead on a thread of their own come out in order, with the source's failures in place. A consumer
 * that loses its place waits forever for a batch that never comes: each case fails after 10 s instead.
 */
@Timeout(10)
class ItemsAheadTest {

    /** 1..n, then the end; {@code taken} counts the calls. */
    private static Supplier<Integer> numbers(int n, AtomicInteger taken) {
        return () -> {
            int i = taken.incrementAndGet();
            return i <= n ? i : null;
        };
    }

    /** As {@link #numbers}, but the {@code failAt}-th call throws {@code failure} instead of giving {@code failAt}. */
    private static Supplier<Integer> numbersFailingAt(int n, int failAt, RuntimeException failure, AtomicInteger taken) {
        return () -> {
            int i = taken.incrementAndGet();
            if (i == failAt) {
                throw failure;
            }
            return i <= n ? i : null;
        };
    }

    /** How many items the source gave once it stopped: waits up to 5 s for {@code expected}, then 0.1 s more for any extra. */
    private static int settled(AtomicInteger taken, int expected) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (taken.get() < expected && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        Thread.sleep(100);
        return taken.get();
    }

    @Test
    void everyItemComesOutInOrderThenTheEnd() {
        AtomicInteger taken = new AtomicInteger();
        try (ItemsAhead<Integer> ahead = new ItemsAhead<>("test-ahead", 3, numbers(10, taken), e -> false)) {
            List<Integer> out = new ArrayList<>();
            for (Integer i = ahead.next(); i != null; i = ahead.next()) {
                out.add(i);
            }
            assertThat(out).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            assertThat(ahead.next()).as("the end stays the end").isNull();
        }
    }

    @Test
    void theSourceRunsAtMostTwoBatchesAheadOfTheConsumer() throws Exception {
        AtomicInteger taken = new AtomicInteger();
        try (ItemsAhead<Integer> ahead = new ItemsAhead<>("test-ahead", 3, numbers(100, taken), e -> false)) {
            assertThat(ahead.next()).isEqualTo(1);
            // The consumer holds batch 1; batch 2 is ready and batch 3 is full, waiting for room.
            assertThat(settled(taken, 9)).isEqualTo(9);
        }
    }

    @Test
    void withSeveralBatchesReadyTheSourceRunsThatManyAheadAndOneMore() throws Exception {
        AtomicInteger taken = new AtomicInteger();
        try (ItemsAhead<Integer> ahead = new ItemsAhead<>("test-ahead", 3, 4, numbers(100, taken), e -> false)) {
            assertThat(ahead.next()).isEqualTo(1);
            // The consumer holds batch 1; batches 2 to 5 are ready and batch 6 is full, waiting for room.
            assertThat(settled(taken, 18)).isEqualTo(18);
            List<Integer> out = new ArrayList<>();
            for (Integer i = ahead.next(); i != null; i = ahead.next()) {
                out.add(i);
            }
            assertThat(out).hasSize(99).startsWith(2, 3, 4).endsWith(99, 100);
        }
    }

    @Test
    void aFailureTheStepSkipsComesInItsPlaceAndTheItemsGoOn() {
        AtomicInteger taken = new AtomicInteger();
        Supplier<Integer> source = numbersFailingAt(5, 3,
                new MalformedRecordException("users", null, "not an object"), taken);
        try (ItemsAhead<Integer> ahead = new ItemsAhead<>("test-ahead", 2, source, e -> e instanceof MalformedRecordException)) {
            assertThat(ahead.next()).isEqualTo(1);
            assertThat(ahead.next()).isEqualTo(2);
            assertThatThrownBy(ahead::next).isInstanceOf(MalformedRecordException.class);
            assertThat(ahead.next()).isEqualTo(4);
            assertThat(ahead.next()).isEqualTo(5);
            assertThat(ahead.next()).isNull();
        }
    }

    @Test
    void batchesStopBeforeAFailureWhichTheNextCallThrowsThenGoOnInOrder() {
        AtomicInteger taken = new AtomicInteger();
        Supplier<Integer> source = numbersFailingAt(8, 3,
                new MalformedRecordException("users", null, "not an object"), taken);
        try (ItemsAhead<Integer> ahead = new ItemsAhead<>("test-ahead", 4, source, e -> e instanceof MalformedRecordException)) {
            assertThat(ahead.nextBatch(4)).containsExactly(1, 2);
            assertThatThrownBy(() -> ahead.nextBatch(4)).isInstanceOf(MalformedRecordException.class);
            List<Integer> rest = new ArrayList<>();
            for (List<Integer> batch = ahead.nextBatch(4); !batch.isEmpty(); batch = ahead.nextBatch(4)) {
                assertThat(batch).hasSizeLessThanOrEqualTo(4);
                rest.addAll(batch);
            }
            assertThat(rest).containsExactly(4, 5, 6, 7, 8);
            assertThat(ahead.nextBatch(4)).as("the end stays the end").isEmpty();
            assertThat(ahead.next()).isNull();
        }
    }

    @Test
    void aBatchEndsBeforeAFailureThatEndsTheItems() {
        AtomicInteger taken = new AtomicInteger();
        Supplier<Integer> source = numbersFailingAt(Integer.MAX_VALUE, 4,
                new IllegalStateException("Clever answered 500 six times"), taken);
        try (ItemsAhead<Integer> ahead = new ItemsAhead<>("test-ahead", 10, source, e -> false)) {
            assertThat(ahead.nextBatch(10)).containsExactly(1, 2, 3);
            assertThatThrownBy(() -> ahead.nextBatch(10)).hasMessage("Clever answered 500 six times");
            assertThatThrownBy(() -> ahead.nextBatch(10)).hasMessage("Clever answered 500 six times");
        }
    }

    @Test
    void anyOtherFailureEndsTheItemsAfterThoseBeforeIt() {
        AtomicInteger taken = new AtomicInteger();
        Supplier<Integer> source = numbersFailingAt(Integer.MAX_VALUE, 4,
                new IllegalStateException("Clever answered 500 six times"), taken);
        try (ItemsAhead<Integer> ahead = new ItemsAhead<>("test-ahead", 10, source, e -> false)) {
            assertThat(ahead.next()).isEqualTo(1);
            assertThat(ahead.next()).isEqualTo(2);
            assertThat(ahead.next()).isEqualTo(3);
            assertThatThrownBy(ahead::next).hasMessage("Clever answered 500 six times");
            assertThatThrownBy(ahead::next).as("and again: the source is not asked any more").hasMessage("Clever answered 500 six times");
            assertThat(taken.get()).isEqualTo(4);
        }
    }

    @Test
    void closeStopsTheThreadAndTheSourceIsNotAskedAfterwards() throws Exception {
        AtomicInteger taken = new AtomicInteger();
        ItemsAhead<Integer> ahead = new ItemsAhead<>("test-ahead-close", 2, numbers(1_000, taken), e -> false);
        assertThat(ahead.next()).isEqualTo(1);
        ahead.close();
        int after = taken.get();
        Thread.sleep(100);
        assertThat(taken.get()).isEqualTo(after);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("test-ahead-close"));
    }
}
