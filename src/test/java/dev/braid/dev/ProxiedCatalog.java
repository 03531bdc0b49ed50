package dev.braid.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.braid.OpenSearchClients;
import dev.braid.catalog.CatalogConfig;
import dev.braid.catalog.opensearch.OpenSearchCatalog;
import dev.braid.config.HttpClientConfig;
import dev.braid.config.OpenSearchConfig;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.FaultProxy;

import org.opensearch.client.opensearch.OpenSearchClient;

/**
 * A demo catalog loaded into a real node, and the production catalog client reaching it through a fault proxy: the
 * fixture of the tests that take OpenSearch away between the client and the node.
 */
public record ProxiedCatalog(FaultProxy proxy, OpenSearchClient client, OpenSearchCatalog catalog) implements AutoCloseable {

    public static ProxiedCatalog load(EmbeddedOpenSearch node, String alias, List<DemoCatalog.Item> items) {
        DemoCatalogLoader.load(node.uri(), alias, items);
        FaultProxy proxy = FaultProxy.start("opensearch", new InetSocketAddress("127.0.0.1", node.httpPort()), 0);
        OpenSearchClient client = OpenSearchClients.create(new OpenSearchConfig(
                URI.create("http://127.0.0.1:" + proxy.port()), "", "",
                new HttpClientConfig(Duration.ofMillis(500), Duration.ofSeconds(10), 8, Duration.ofMillis(200))));
        return new ProxiedCatalog(proxy, client, new OpenSearchCatalog(client, new CatalogConfig(alias, Duration.ofMillis(500), "")));
    }

    @Override
    public void close() {
        try {
            client._transport().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            proxy.close();
        }
    }
}
