package dev.braid.observe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThrottledLogTest {

    @Test
    void logsOncePerIntervalAndCountsWhatItSkipped() {
        AtomicLong now = new AtomicLong(1_000);
        Logger logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        List<String> lines = new ArrayList<>();
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        ThrottledLog log = new ThrottledLog(logger, Duration.ofSeconds(30), now::get);

        assertThat(log.warn("redis down", null)).isTrue();
        assertThat(log.warn("redis down", null)).isFalse();
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(log.warn("redis down", null)).isFalse();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(log.warn("redis down", null)).isTrue();

        assertThat(lines).containsExactly("redis down", "redis down (2 more since the last report)");
    }
}
