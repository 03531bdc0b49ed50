package dev.braid.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.braid.observe.FlightRecordings;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Operator actions on the admin port (behind {@link AdminAuthFilter}): the configuration in force, breaker states, the
 * downstreams' fleet-wide quotas, invalidating a user's cached recommendations, and flight recordings of the live
 * process.
 */
public final class AdminService implements HttpService {
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,5})(s|m|h)");
    private static final Pattern SETTINGS = Pattern.compile("[a-z]{1,20}");
    private static final Pattern SIZE = Pattern.compile("[1-9][0-9]{0,5}");
    private static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);

    private final Supplier<Map<String, Object>> effectiveConfig;
    private final Supplier<Map<String, String>> breakers;
    private final Predicate<String> invalidateUser;
    private final FlightRecordings recordings;
    private final Supplier<Map<String, Object>> quotas;

    /**
     * @param effectiveConfig the configuration in force, secrets already redacted
     * @param breakers        each downstream's circuit breaker state: closed, half_open or open
     * @param invalidateUser  makes every cached list of a user unreachable (bumps their cache generation); whether it
     *                        could
     * @param recordings      the flight recordings operators start and download
     * @param quotas          each downstream quota: its rate, burst, each replica's share, and what the fleet has left
     */
    public AdminService(Supplier<Map<String, Object>> effectiveConfig, Supplier<Map<String, String>> breakers,
                        Predicate<String> invalidateUser, FlightRecordings recordings,
                        Supplier<Map<String, Object>> quotas) {
        this.effectiveConfig = effectiveConfig;
        this.breakers = breakers;
        this.invalidateUser = invalidateUser;
        this.recordings = recordings;
        this.quotas = quotas;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/config", this::config);
        Routes.get(rules, "/breakers", this::breakers);
        Routes.get(rules, "/quotas", this::quotas);
        Routes.post(rules, "/cache/invalidate", this::invalidate);
        Routes.post(rules, "/jfr/start", this::startRecording);
        Routes.get(rules, "/jfr", this::listRecordings);
        Routes.post(rules, "/jfr/{id}/stop", this::stopRecording);
        Routes.get(rules, "/jfr/{id}", this::downloadRecording);
    }

    /**
     * {@code POST /admin/jfr/start?settings=profile&duration=60s&max-size-mb=64}: a new recording, 201 with its
     * description and its download path in {@code Location}; 409 while every slot holds a running recording.
     */
    private void startRecording(ServerRequest req, ServerResponse res) {
        QueryParameters query = new QueryParameters(req.query());
        String settings = query.text("settings", SETTINGS, "must be one of " + FlightRecordings.SETTINGS);
        String duration = query.text("duration", DURATION, "must be a whole number of s, m or h, e.g. 60s or 5m");
        String size = query.text("max-size-mb", SIZE, "must be a whole number of megabytes");
        FlightRecordings.Info info;
        try {
            info = recordings.start(settings == null ? "profile" : settings,
                                    duration == null ? min(DEFAULT_DURATION, recordings.maxDuration())
                                                     : duration(duration),
                                    size == null ? 0 : Long.parseLong(size) << 20);
        } catch (FlightRecordings.RefusedException e) {
            if (e.busy()) {
                throw new HttpException(e.getMessage(), Status.CONFLICT_409);
            }
            throw new BadParameterException(e.parameter(), e.problem());
        }
        res.status(Status.CREATED_201);
        res.header(HeaderNames.LOCATION, "/admin/jfr/" + info.id());
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Answers.json(req, res, Json.write(describe(info)));
    }

    private void listRecordings(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        List<Map<String, Object>> all = recordings.list().stream().map(AdminService::describe).toList();
        Answers.json(req, res, Json.write(Map.of("recordings", all)));
    }

    private void stopRecording(ServerRequest req, ServerResponse res) {
        FlightRecordings.Info info = recordings.stop(recordingId(req)).orElseThrow(() -> noRecording(req));
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Answers.json(req, res, Json.write(describe(info)));
    }

    /** The recording's file; for a running one, what it holds so far. */
    private void downloadRecording(ServerRequest req, ServerResponse res) {
        String id = recordingId(req);
        try (FlightRecordings.Download download = recordings.download(id).orElseThrow(() -> noRecording(req))) {
            res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
            res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"braid-" + id + ".jfr\"");
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(download.size()));
            if (req.prologue().method() == Method.HEAD) {
                res.send();
                return;
            }
            try (OutputStream out = res.outputStream()) {
                Files.copy(download.file(), out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String recordingId(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        if (!FlightRecordings.validId(id)) {
            throw new NotFoundProblem("no recording '" + QueryParameters.abbreviate(id) + "'");
        }
        return id;
    }

    private static NotFoundProblem noRecording(ServerRequest req) {
        return new NotFoundProblem("no recording '" + req.path().pathParameters().get("id")
                                   + "' (it may have been replaced by a newer one: jfr.max-recordings)");
    }

    private static Map<String, Object> describe(FlightRecordings.Info info) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("id", info.id());
        described.put("state", info.state());
        described.put("settings", info.settings());
        described.put("started", info.started().toString());
        described.put("duration_s", info.duration() == null ? null : info.duration().toSeconds());
        described.put("max_size_mb", info.maxSize() >> 20);
        described.put("size_bytes", info.size());
        described.put("download", "/admin/jfr/" + info.id());
        return described;
    }

    private static Duration duration(String text) {
        Matcher match = DURATION.matcher(text);
        if (!match.matches()) {
            throw new BadParameterException("duration", "must be a whole number of s, m or h");
        }
        long amount = Long.parseLong(match.group(1));
        return switch (match.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void invalidate(ServerRequest req, ServerResponse res) {
        String user = new QueryParameters(req.query()).text("user", RecommendationsService.USER,
                                                           "must be 1..128 characters of letters, digits and . _ : @ -");
        if (user == null) {
            throw new BadParameterException("user", "is required: whose cached recommendations to invalidate");
        }
        if (!invalidateUser.test(user)) {
            // Nothing changed anywhere: saying 200 would leave the operator believing the lists are gone.
            throw new UnavailableProblem("cache: the invalidation of '" + user + "' could not be applied (the shared "
                                         + "cache tier is unreachable); nothing changed, retry");
        }
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Answers.json(req, res, Json.write(Map.of("invalidated", user)));
    }

    private void breakers(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Answers.json(req, res, Json.write(Map.of("breakers", breakers.get())));
    }

    private void quotas(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Answers.json(req, res, Json.write(Map.of("quotas", quotas.get())));
    }

    private void config(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Answers.json(req, res, Json.write(effectiveConfig.get()));
    }
}
