package dev.braid.config;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The OpenSearch cluster: one shared client for the catalog, search and the content-based source.
 *
 * @param url      the cluster's HTTP endpoint
 * @param username basic-auth user for clusters with the security plugin, or empty
 * @param password its password (a secret: set it through the environment), or empty
 * @param sigV4    AWS Signature Version 4 on every request (Amazon OpenSearch Service or Serverless), or off
 * @param http     the client's pool and default time limits
 */
public record OpenSearchConfig(URI url, String username, String password, SigV4 sigV4, HttpClientConfig http) {

    /**
     * Requests signed for an AWS service with the credentials of the AWS SDK's default chain (environment, web identity
     * for IRSA, the container provider for EKS Pod Identity, profiles, instance metadata).
     *
     * @param service {@code es} (Amazon OpenSearch Service), {@code aoss} (OpenSearch Serverless), or empty: no signing
     * @param region  the region to sign for, e.g. {@code eu-west-1}; empty: the SDK's region chain ({@code AWS_REGION}
     *                first)
     */
    public record SigV4(String service, String region) {
        public static final SigV4 OFF = new SigV4("", "");
        private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+){2,}");

        public SigV4 {
            service = service == null ? "" : service.trim();
            region = region == null ? "" : region.trim();
            Rule.check(service.isEmpty() || service.equals("es") || service.equals("aoss"), "service",
                       "must be es (Amazon OpenSearch Service), aoss (OpenSearch Serverless) or empty for no signing (was '"
                       + service + "')");
            Rule.check(region.isEmpty() || REGION.matcher(region).matches(), "region",
                       "must be an AWS region such as eu-west-1, or empty for the SDK's region chain (was '" + region + "')");
            Rule.check(!service.isEmpty() || region.isEmpty(), "region",
                       "signs nothing without sigv4.service (es or aoss)");
        }

        public boolean enabled() {
            return !service.isEmpty();
        }
    }

    public OpenSearchConfig {
        Rule.check(url != null, "url", "must be set to the cluster's endpoint, e.g. http://opensearch:9200");
        Rule.check(username.isEmpty() == password.isEmpty(), "password", "username and password go together");
        Rule.check(sigV4 != null, "sigv4", "must be set");
        // Both go in the Authorization header: a request can carry one of them.
        Rule.check(!sigV4.enabled() || username.isEmpty(), "sigv4.service",
                   "basic auth (username/password) and SigV4 are two ways to sign in: set one of them");
    }

    /** A cluster without SigV4 signing. */
    public OpenSearchConfig(URI url, String username, String password, HttpClientConfig http) {
        this(url, username, password, SigV4.OFF, http);
    }

    public static OpenSearchConfig create(Settings node) {
        Settings sigV4 = node.child("sigv4");
        return node.bind(() -> new OpenSearchConfig(node.url("url", URI.create("http://opensearch:9200")),
                                                    node.string("username", ""), node.string("password", ""),
                                                    sigV4.bind(() -> new SigV4(sigV4.string("service", ""),
                                                                               sigV4.string("region", ""))),
                                                    HttpClientConfig.read(node, Duration.ofMillis(500))));
    }

    /** The same cluster and credentials with other time limits and pool (bulk loads). */
    public OpenSearchConfig withHttp(HttpClientConfig other) {
        return new OpenSearchConfig(url, username, password, sigV4, other);
    }

    @Override
    public String toString() {
        return "OpenSearchConfig[url=" + url + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***")
               + ", sigV4=" + sigV4 + ", http=" + http + "]";
    }
}
