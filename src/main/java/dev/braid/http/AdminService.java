package dev.braid.http;

import java.util.Map;
import java.util.function.Supplier;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Operator actions on the admin port (behind {@link AdminAuthFilter}). Later issues add breakers, cache invalidation and
 * JFR recordings here.
 */
public final class AdminService implements HttpService {
    private final Supplier<Map<String, Object>> effectiveConfig;

    /** @param effectiveConfig the configuration in force, secrets already redacted */
    public AdminService(Supplier<Map<String, Object>> effectiveConfig) {
        this.effectiveConfig = effectiveConfig;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/config", this::config);
    }

    private void config(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(Json.write(effectiveConfig.get()));
    }
}
