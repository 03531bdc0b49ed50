package dev.braid.http;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

import dev.braid.observe.AnswerOutcome;
import dev.braid.observe.RequestNotes;
import dev.braid.recommend.Degradation;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.SurfacePlan;
import dev.braid.recommend.pipeline.RecommendationPipeline;
import dev.braid.recommend.pipeline.Recommendations;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /v1/recommendations}: parse and validate, ask the pipeline, write the envelope. */
public final class RecommendationsService implements HttpService {
    static final Pattern USER = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    static final Pattern SURFACE = Pattern.compile("[a-z0-9_-]{1,40}");
    static final Pattern ITEM_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Za-z]{2}");
    private static final HeaderName REQUEST_TIMEOUT = HeaderNames.create("X-Request-Timeout");
    private static final HeaderName COUNTRY_HEADER = HeaderNames.create("X-Country");
    private static final HeaderName ANONYMOUS_ID = HeaderNames.create("X-Anonymous-Id");
    private static final Pattern CURSOR = Pattern.compile("[A-Za-z0-9_.-]{1,4096}");
    private static final int MAX_REQUEST_TIMEOUT_MS = 60_000;
    /** Shared caches keep degraded answers only briefly: the next request may get the full list. */
    private static final Duration DEGRADED_MAX_AGE = Duration.ofSeconds(5);

    private final RecommendationPipeline pipeline;

    public RecommendationsService(RecommendationPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/", this::recommend);
    }

    private void recommend(ServerRequest req, ServerResponse res) {
        RecommendationRequest request = parse(req);
        SurfacePlan plan = pipeline.plan(request.surface());
        Recommendations recommendations = pipeline.recommend(request);
        RecommendationsJson.Rendered answer = RecommendationsJson.render(recommendations);
        note(RequestContextFilter.notes(req), plan, recommendations);

        String cacheControl;
        if (!request.anonymous()) {
            cacheControl = HttpCaching.personal();
        } else if (recommendations.list().partial() || (recommendations.degraded() != null
                                      && recommendations.degraded() != Degradation.COLD_START)) {
            // Cold start is what anonymous answers are; any other degradation may be gone by the next request.
            cacheControl = HttpCaching.shared(min(plan.publicMaxAge(), DEGRADED_MAX_AGE));
        } else {
            cacheControl = HttpCaching.shared(plan.publicMaxAge());
        }
        // While an experiment runs on the surface, an anonymous answer depends on the visitor's id (their arm).
        String vary = request.anonymous() && pipeline.experimenting(plan.name())
                      ? HttpCaching.VARY + ", " + ANONYMOUS_ID.defaultCase() : HttpCaching.VARY;
        if (HttpCaching.answerIfNotModified(req, res, answer.etag(), cacheControl, vary)) {
            return;
        }
        Answers.json(req, res, answer.body());
    }

    /** What the request's meters, span and recording say of this answer. */
    private static void note(RequestNotes notes, SurfacePlan plan, Recommendations recommendations) {
        notes.surface(plan.name());
        notes.cache(recommendations.cache().wireName());
        notes.outcome(recommendations.degraded() != null ? AnswerOutcome.ofWireName(recommendations.degraded().wireName())
                      : recommendations.list().partial() ? AnswerOutcome.PARTIAL : AnswerOutcome.COMPLETE);
        if (notes.recording()) {
            StringJoiner sources = new StringJoiner(",");
            recommendations.list().sources().forEach(report -> sources.add(report.source().name() + "="
                                                                           + report.status().wireName()));
            notes.sourcesAsked(sources.toString());
        }
    }

    RecommendationRequest parse(ServerRequest req) {
        QueryParameters query = new QueryParameters(req.query());
        String user = query.text("user", USER, "must be 1..128 characters of letters, digits and . _ : @ -");
        String surface = query.text("surface", SURFACE, "must be 1..40 characters of a-z, 0-9, _ and -");
        int n = query.integer("n", 20, 1, 100);
        String cursor = query.text("cursor", CURSOR, "is not a cursor this service issued; start again without it");
        Set<String> exclude = query.list("exclude", ITEM_ID, "item ids are 1..128 characters of letters, digits and . _ : -",
                                         500);
        return new RecommendationRequest(user, surface == null ? pipeline.defaultSurface() : surface, n, exclude,
                                         HeaderParameters.language(req), country(req), requestTimeout(req), cursor, anonymousId(req));
    }

    private static Duration requestTimeout(ServerRequest req) {
        return HeaderParameters.millis(req, REQUEST_TIMEOUT, 1, MAX_REQUEST_TIMEOUT_MS);
    }

    /** An anonymous visitor's stable id, which places them in experiments. */
    private static String anonymousId(ServerRequest req) {
        return HeaderParameters.text(req, ANONYMOUS_ID, USER, "must be 1..128 characters of letters, digits and . _ : @ -");
    }

    private static String country(ServerRequest req) {
        String country = HeaderParameters.text(req, COUNTRY_HEADER, COUNTRY,
                                               "must be an ISO 3166-1 alpha-2 country code such as DE");
        return country == null ? null : country.toUpperCase(Locale.ROOT);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
