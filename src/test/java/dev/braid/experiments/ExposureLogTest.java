package dev.braid.experiments;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

import dev.braid.observe.BraidMeters;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ExposureLogTest {
    private static final BraidMeters METERS = new BraidMeters(Metrics.globalRegistry());
    /** Bounds "returns at once" against "blocks until the sink answers" (never): not a benchmark. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @Test
    void writesEverythingOnceInBatchesOfAtMostTheBatchSizeEachInOrder() {
        List<List<Exposure>> batches = new CopyOnWriteArrayList<>();
        ExposureLog log = new ExposureLog(batches::add, new ExposureConfig("s", 1_000, 100, 10), METERS);
        List<Exposure> recorded = new ArrayList<>();
        for (int i = 0; i < 35; i++) {
            recorded.add(exposure("r" + i, null, null));
            log.record(recorded.getLast());
        }
        log.close();

        assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeBetween(1, 10));
        // Two writers take batches at once, so batches may be written in either order; each is taken from the queue
        // in one go, so within one the exposures keep the order they were recorded in.
        assertThat(batches.stream().flatMap(List::stream).toList()).containsExactlyInAnyOrderElementsOf(recorded);
        assertThat(batches).allSatisfy(batch -> assertThat(batch).isSortedAccordingTo(
                Comparator.comparingInt(recorded::indexOf)));
        assertThat(log.written()).isEqualTo(35);
        assertThat(log.dropped() + log.failed()).isZero();
    }

    @Test
    void aSinkThatThrowsIsCountedAndNeverReachesTheCaller() {
        long failedBefore = exposures("failed");
        ExposureLog log = new ExposureLog(batch -> {
            throw new IllegalStateException("Redis is down");
        }, new ExposureConfig("s", 1_000, 100, 10), METERS);

        assertThatCode(() -> {
            for (int i = 0; i < 20; i++) {
                log.record(exposure("r" + i, null, null));
            }
        }).doesNotThrowAnyException();
        log.close();

        assertThat(log.failed()).isEqualTo(20);
        assertThat(log.written()).isZero();
        assertThat(exposures("failed") - failedBefore).isEqualTo(20);
    }

    @Test
    void aBlockedSinkNeverBlocksRecordAndAFullQueueDropsAndCounts() throws InterruptedException {
        Semaphore entered = new Semaphore(0);
        CountDownLatch release = new CountDownLatch(1);
        long droppedBefore = exposures("dropped");
        ExposureLog log = new ExposureLog(batch -> {
            entered.release();
            await(release);
        }, new ExposureConfig("s", 1_000, 5, 10), METERS);

        // Every writer takes one exposure into the sink, and stays there.
        for (int i = 0; i < ExposureLog.WRITERS; i++) {
            log.record(exposure("first-" + i, null, null));
            entered.acquire();
        }
        // The queue takes 5 more, the last 3 of these 8 are dropped.
        assertTimeoutPreemptively(PROMPTLY, () -> {
            for (int i = 0; i < 8; i++) {
                log.record(exposure("r" + i, null, null));
            }
        });
        assertThat(log.dropped()).isEqualTo(3);
        assertThat(exposures("dropped") - droppedBefore).isEqualTo(3);

        release.countDown();
        log.close();
        assertThat(log.written()).isEqualTo(ExposureLog.WRITERS + 5);
    }

    @Test
    void closeIsBoundedWhenTheSinkHangsAndWhatIsLeftIsCountedAsDropped() throws InterruptedException {
        Semaphore entered = new Semaphore(0);
        CountDownLatch never = new CountDownLatch(1);
        ExposureLog log = new ExposureLog(batch -> {
            entered.release();
            await(never);
        }, new ExposureConfig("s", 1_000, 100, 10), METERS);
        for (int i = 0; i < ExposureLog.WRITERS; i++) {
            log.record(exposure("stuck-" + i, null, null));
            entered.acquire();
        }
        for (int i = 0; i < 4; i++) {
            log.record(exposure("r" + i, null, null));
        }

        assertTimeoutPreemptively(PROMPTLY, () -> log.close(Duration.ofMillis(50)));
        assertThat(log.dropped()).isEqualTo(4);
        // After close: still no exception, counted as dropped.
        assertThatCode(() -> log.record(exposure("late", null, null))).doesNotThrowAnyException();
        assertThat(log.dropped()).isEqualTo(5);
        assertThat(log.written()).isZero();
    }

    @Test
    void impressionsAreCountedPerArmWhenRecordedWhateverTheSinkDoes() {
        long treatment = impressions("log-test", "treatment");
        long control = impressions("log-test", "control");
        ExposureLog log = new ExposureLog(batch -> {
            throw new IllegalStateException("down");
        }, new ExposureConfig("s", 1_000, 100, 10), METERS);

        log.record(exposure("a", "log-test", "treatment"));
        log.record(exposure("b", "log-test", "treatment"));
        log.record(exposure("c", "log-test", "control"));
        log.record(exposure("d", null, null));
        log.close();

        assertThat(impressions("log-test", "treatment") - treatment).isEqualTo(2);
        assertThat(impressions("log-test", "control") - control).isEqualTo(1);
    }

    @Test
    void nothingItIsGivenMakesRecordThrow() {
        ExposureLog log = new ExposureLog(batch -> { }, ExposureConfig.defaults(), METERS);

        assertThatCode(() -> log.record(null)).doesNotThrowAnyException();
        log.close();
        log.close();
    }

    private static Exposure exposure(String id, String experiment, String variant) {
        return new Exposure(id, "u1", "home", experiment, variant, List.of("i1", "i2"), Map.of("trending", "v1"),
                            Instant.parse("2026-11-24T10:00:00Z"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static long exposures(String result) {
        return Metrics.globalRegistry().counter(BraidMeters.EXPOSURES, List.of(Tag.create("result", result)))
                .map(Counter::count).orElse(0L);
    }

    private static long impressions(String experiment, String variant) {
        return Metrics.globalRegistry().counter(BraidMeters.EXPERIMENT_IMPRESSIONS,
                                                List.of(Tag.create("experiment", experiment), Tag.create("variant", variant)))
                .map(Counter::count).orElse(0L);
    }
}
