package dev.braid.observe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * Flight recordings an operator starts on a live instance (the admin port's {@code /admin/jfr}), bounded: at most
 * {@code maxCount} kept at once, running or finished, each at most {@code maxDuration} long and {@code maxSize} large
 * on disk. Starting one more drops the oldest finished one; while all are running, starting is refused. A recording
 * stops by itself at the end of its duration (its file is written then) or when stopped; a running one can be
 * downloaded too, as a snapshot of what it holds so far.
 */
public final class FlightRecordings implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FlightRecordings.class.getName());
    /** The JDK's own settings files: {@code default} (about 1% overhead, for always-on use) and {@code profile}. */
    public static final Set<String> SETTINGS = Set.of("default", "profile");

    private final Path directory;
    private final int maxCount;
    private final Duration maxDuration;
    private final long maxSize;
    private final Clock clock;
    private final Map<String, Entry> recordings = new LinkedHashMap<>();

    /** A recording refused: a parameter was out of bounds, or every slot holds a running recording. */
    public static final class RefusedException extends RuntimeException {
        private final String parameter;
        private final String problem;

        RefusedException(String parameter, String problem) {
            super(parameter == null ? problem : parameter + " " + problem, null, false, false);
            this.parameter = parameter;
            this.problem = problem;
        }

        /** Whether it was refused because all slots hold running recordings (else: the request itself was wrong). */
        public boolean busy() {
            return parameter == null;
        }

        /** The start parameter out of bounds ({@code settings}, {@code duration}, {@code max-size-mb}), or null. */
        public String parameter() {
            return parameter;
        }

        /** What is wrong, without the parameter's name. */
        public String problem() {
            return problem;
        }
    }

    /** What an operator sees of one recording. */
    public record Info(String id, String state, String settings, Instant started, Duration duration, long maxSize,
                       long size) {
    }

    private record Entry(String id, Recording recording, String settings, Instant started, Path file) {
    }

    public FlightRecordings(Path directory, int maxCount, Duration maxDuration, long maxSize, Clock clock) {
        this.directory = directory;
        this.maxCount = maxCount;
        this.maxDuration = maxDuration;
        this.maxSize = maxSize;
        this.clock = clock;
    }

    public Duration maxDuration() {
        return maxDuration;
    }

    public long maxSize() {
        return maxSize;
    }

    /**
     * Starts a recording with the JDK's {@code settings}, stopping by itself after {@code duration}.
     *
     * @param size the most it may hold on disk; {@code 0}: the configured maximum
     * @throws RefusedException when a value is out of bounds or every slot holds a running recording
     */
    public synchronized Info start(String settings, Duration duration, long size) {
        if (!SETTINGS.contains(settings)) {
            throw new RefusedException("settings", "must be one of " + SETTINGS);
        }
        if (!duration.isPositive() || duration.compareTo(maxDuration) > 0) {
            throw new RefusedException("duration", "must be positive and at most " + maxDuration.toSeconds()
                                                    + "s (jfr.max-duration)");
        }
        long limit = size == 0 ? maxSize : size;
        if (limit < 0 || limit > maxSize) {
            throw new RefusedException("max-size-mb", "must be at most " + (maxSize >> 20) + " (jfr.max-size-mb)");
        }
        makeRoom();
        String id = newId();
        Path file = directory.resolve("braid-" + id + ".jfr");
        Recording recording;
        try {
            Files.createDirectories(directory);
            recording = new Recording(Configuration.getConfiguration(settings));
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot prepare a recording in " + directory + ": " + e.getMessage(), e);
        }
        try {
            recording.setName("braid-" + id);
            recording.setToDisk(true);
            recording.setMaxSize(limit);
            recording.setDuration(duration);
            recording.setDestination(file);
            recording.start();
        } catch (IOException | RuntimeException e) {
            recording.close();
            throw new IllegalStateException("cannot start a recording: " + e.getMessage(), e);
        }
        Entry entry = new Entry(id, recording, settings, clock.instant(), file);
        recordings.put(id, entry);
        LOG.info(() -> "flight recording " + id + " started: " + settings + ", " + duration.toSeconds() + "s, at most "
                       + (limit >> 20) + " MB, to " + file);
        return info(entry);
    }

    /** Stops a running recording, which writes its file; a finished one is left as it is. */
    public synchronized Optional<Info> stop(String id) {
        Entry entry = recordings.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.recording().getState() == RecordingState.RUNNING || entry.recording().getState() == RecordingState.DELAYED) {
            entry.recording().stop();
            LOG.info(() -> "flight recording " + id + " stopped");
        }
        return Optional.of(info(entry));
    }

    public synchronized Optional<Info> info(String id) {
        return Optional.ofNullable(recordings.get(id)).map(this::info);
    }

    public synchronized List<Info> list() {
        return recordings.values().stream().map(this::info).toList();
    }

    /**
     * The recording's file: the finished recording's own, or for a running one a snapshot of what it holds so far in a
     * temporary file that {@link Download#close()} deletes.
     */
    public synchronized Optional<Download> download(String id) {
        Entry entry = recordings.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        if (running(entry)) {
            try (Recording copy = entry.recording().copy(false)) {
                Path snapshot = Files.createTempFile(directory, "braid-" + id + "-", ".jfr");
                copy.dump(snapshot);
                return Optional.of(new Download(snapshot, true));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Files.exists(entry.file()) ? Optional.of(new Download(entry.file(), false)) : Optional.empty();
    }

    /** A recording's bytes on disk; closing it deletes a snapshot. */
    public record Download(Path file, boolean snapshot) implements AutoCloseable {
        public long size() {
            try {
                return Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            if (snapshot) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.log(Level.FINE, "snapshot " + file + " not deleted", e);
                }
            }
        }
    }

    /** Closes every recording and deletes their files: an instance that stops leaves no recordings behind. */
    @Override
    public synchronized void close() {
        recordings.values().forEach(this::discard);
        recordings.clear();
    }

    private void makeRoom() {
        if (recordings.size() < maxCount) {
            return;
        }
        Entry oldestFinished = recordings.values().stream().filter(entry -> !running(entry)).findFirst().orElse(null);
        if (oldestFinished == null) {
            throw new RefusedException(null, maxCount + " recordings are running (jfr.max-recordings); stop one first");
        }
        recordings.remove(oldestFinished.id());
        discard(oldestFinished);
    }

    private void discard(Entry entry) {
        entry.recording().close();
        try {
            Files.deleteIfExists(entry.file());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "recording file " + entry.file() + " not deleted", e);
        }
    }

    private static boolean running(Entry entry) {
        RecordingState state = entry.recording().getState();
        return state == RecordingState.RUNNING || state == RecordingState.DELAYED || state == RecordingState.NEW;
    }

    private Info info(Entry entry) {
        long size;
        try {
            size = running(entry) ? entry.recording().getSize() : Files.exists(entry.file()) ? Files.size(entry.file()) : 0;
        } catch (IOException e) {
            size = 0;
        }
        return new Info(entry.id(), running(entry) ? "running" : "stopped", entry.settings(), entry.started(),
                        entry.recording().getDuration(), entry.recording().getMaxSize(), size);
    }

    private static String newId() {
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** Ids are what {@link #newId()} makes: 16 hex digits. */
    public static boolean validId(String id) {
        return id != null && id.length() == 16 && id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
}
