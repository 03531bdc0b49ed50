package dev.braid.http;

import java.util.Map;
import java.util.function.Supplier;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Operator actions on the admin port (behind {@link AdminAuthFilter}). Later issues add cache invalidation and JFR
 * recordings here.
 */
public final class AdminService implements HttpService {
    private final Supplier<Map<String, Object>> effectiveConfig;
    private final Supplier<Map<String, String>> breakers;

    /**
     * @param effectiveConfig the configuration in force, secrets already redacted
     * @param breakers        each downstream's circuit breaker state: closed, half_open or open
     */
    public AdminService(Supplier<Map<String, Object>> effectiveConfig, Supplier<Map<String, String>> breakers) {
        this.effectiveConfig = effectiveConfig;
        this.breakers = breakers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/config", this::config)
                .get("/breakers", this::breakers);
    }

    private void breakers(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(Json.write(Map.of("breakers", breakers.get())));
    }

    private void config(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(Json.write(effectiveConfig.get()));
    }
}
