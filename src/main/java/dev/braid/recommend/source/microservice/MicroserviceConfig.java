package dev.braid.recommend.source.microservice;

import java.net.URI;
import java.time.Duration;

import dev.braid.config.HttpClientConfig;
import dev.braid.config.Rule;
import dev.braid.config.Settings;
import dev.braid.recommend.SourceConfig;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceKind;

/**
 * An internal HTTP candidate service ({@code kind: microservice}), e.g. trending or editorial. The {@code kind} key
 * itself is read by the composition root, which picks this record by it.
 *
 * @param url  the endpoint; Braid adds {@code surface}, {@code limit} and, when known, {@code user}, {@code country},
 *             {@code language} as query parameters
 * @param http its connection pool and timeouts
 */
public record MicroserviceConfig(SourceId id, URI url, HttpClientConfig http) implements SourceConfig {

    public MicroserviceConfig {
        Rule.check(url != null, "url", "must be set to the service's endpoint, e.g. http://trending:8080/v1/trending");
    }

    @Override
    public SourceKind<MicroserviceConfig> kind() {
        return MicroserviceKind.KIND;
    }

    public static MicroserviceConfig create(SourceId id, Settings node) {
        return node.bind(() -> new MicroserviceConfig(id, node.url("url", null),
                                                      HttpClientConfig.read(node, MicroserviceKind.DEFAULT_TIMEOUT)));
    }
}
