package dev.braid.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * How an instance can be watched: where its spans go, how its log lines look, and how much of the disk and the time its
 * flight recordings may take. Three areas of {@code config/application.yaml}: {@code tracing}, {@code logging},
 * {@code jfr}.
 *
 * @param tracing    spans and their export
 * @param logFormat  {@code text} (one line per record) or {@code json} (one object per line)
 * @param recordings the flight recordings the admin port may start
 */
public record ObserveConfig(Tracing tracing, String logFormat, Recordings recordings) {
    public static final Set<String> EXPORTERS = Set.of("none", "otlp");
    public static final Set<String> LOG_FORMATS = Set.of("text", "json");

    /**
     * @param exporter    {@code none} (no spans made or sent; the caller's trace context is passed on unchanged) or
     *                    {@code otlp} (OTLP over HTTP, protobuf)
     * @param endpoint    the collector's traces URL, {@code .../v1/traces}
     * @param sampleRatio share of the traces Braid starts that are recorded, 0..1; a caller's sampled flag wins
     * @param serviceName the {@code service.name} of every span
     */
    public record Tracing(String exporter, URI endpoint, double sampleRatio, String serviceName) {
        public Tracing {
            Rule.check(EXPORTERS.contains(exporter), "exporter", "must be none or otlp (was '" + exporter + "')");
            Rule.check(sampleRatio >= 0 && sampleRatio <= 1, "sample-ratio", "must be 0..1 (was " + sampleRatio + ")");
            Rule.notBlank("service-name", serviceName);
        }

        static Tracing create(Settings node) {
            return node.bind(() -> new Tracing(
                    node.string("exporter", "none").trim(),
                    node.url("endpoint", URI.create("http://localhost:4318/v1/traces")),
                    node.decimal("sample-ratio", 0.01),
                    node.string("service-name", "braid").trim()));
        }

        public boolean enabled() {
            return exporter.equals("otlp");
        }
    }

    /**
     * @param directory    where recordings are written; empty: {@code braid-jfr} in the JVM's temporary directory
     * @param maxCount     recordings kept at once, running or finished; starting one more removes the oldest finished
     *                     one, or is refused while all are running
     * @param maxDuration  the longest a recording may run
     * @param maxSizeBytes the most one recording may hold on disk (the oldest chunks are dropped beyond)
     */
    public record Recordings(String directory, int maxCount, Duration maxDuration, long maxSizeBytes) {
        public Recordings {
            Rule.atLeast("max-recordings", maxCount, 1);
            Rule.positive("max-duration", maxDuration);
            Rule.check(maxSizeBytes >= 1L << 20, "max-size-mb", "must be at least 1 (was " + (maxSizeBytes >> 20) + ")");
        }

        static Recordings create(Settings node) {
            return node.bind(() -> new Recordings(
                    node.string("directory", "").trim(),
                    node.integer("max-recordings", 3),
                    node.duration("max-duration", Duration.ofMinutes(15)),
                    (long) node.integer("max-size-mb", 256) << 20));
        }

        /** The directory recordings go to. */
        public Path path() {
            return directory.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir"), "braid-jfr") : Path.of(directory);
        }
    }

    public ObserveConfig {
        Rule.check(LOG_FORMATS.contains(logFormat), "format", "must be text or json (was '" + logFormat + "')");
    }

    public static ObserveConfig create(Settings tracing, Settings logging, Settings jfr) {
        Tracing traces = Tracing.create(tracing);
        String format = logging.bind(() -> {
            String value = logging.string("format", "text").trim();
            Rule.check(LOG_FORMATS.contains(value), "format", "must be text or json (was '" + value + "')");
            return value;
        });
        return new ObserveConfig(traces, format, Recordings.create(jfr));
    }
}
