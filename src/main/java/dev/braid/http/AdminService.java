package dev.braid.http;

import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Operator actions on the admin port (behind {@link AdminAuthFilter}): the configuration in force, breaker states, the
 * downstreams' fleet-wide quotas, and invalidating a user's cached recommendations. A later issue adds JFR recordings
 * here.
 */
public final class AdminService implements HttpService {
    private final Supplier<Map<String, Object>> effectiveConfig;
    private final Supplier<Map<String, String>> breakers;
    private final Predicate<String> invalidateUser;
    private final Supplier<Map<String, Object>> quotas;

    /**
     * @param effectiveConfig the configuration in force, secrets already redacted
     * @param breakers        each downstream's circuit breaker state: closed, half_open or open
     * @param invalidateUser  makes every cached list of a user unreachable (bumps their cache generation); whether it
     *                        could
     * @param quotas          each downstream quota: its rate, burst, each replica's share, and what the fleet has left
     */
    public AdminService(Supplier<Map<String, Object>> effectiveConfig, Supplier<Map<String, String>> breakers,
                        Predicate<String> invalidateUser, Supplier<Map<String, Object>> quotas) {
        this.effectiveConfig = effectiveConfig;
        this.breakers = breakers;
        this.invalidateUser = invalidateUser;
        this.quotas = quotas;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/config", this::config);
        Routes.get(rules, "/breakers", this::breakers);
        Routes.get(rules, "/quotas", this::quotas);
        Routes.post(rules, "/cache/invalidate", this::invalidate);
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
