package dev.braid.config;

import java.net.URI;
import java.time.Duration;

/**
 * The OpenSearch cluster: one shared client for the catalog, search and the content-based source.
 *
 * @param url      the cluster's HTTP endpoint
 * @param username basic-auth user for clusters with the security plugin, or empty
 * @param password its password (a secret: set it through the environment), or empty
 * @param http     the client's pool and default time limits
 */
public record OpenSearchConfig(URI url, String username, String password, HttpClientConfig http) {

    public OpenSearchConfig {
        Rule.check(url != null, "url", "must be set to the cluster's endpoint, e.g. http://opensearch:9200");
        Rule.check(username.isEmpty() == password.isEmpty(), "password", "username and password go together");
    }

    public static OpenSearchConfig create(Settings node) {
        return node.bind(() -> new OpenSearchConfig(node.url("url", URI.create("http://opensearch:9200")),
                                                    node.string("username", ""), node.string("password", ""),
                                                    HttpClientConfig.read(node, Duration.ofMillis(500))));
    }

    @Override
    public String toString() {
        return "OpenSearchConfig[url=" + url + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***")
               + ", http=" + http + "]";
    }
}
