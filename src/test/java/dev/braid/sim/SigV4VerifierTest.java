package dev.braid.sim;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's verifier against AWS's published Signature Version 4 examples ("get-vanilla" and
 * "get-vanilla-query-order-key-case" of AWS's test suite): if it accepts those and refuses every altered copy, it checks
 * signatures as AWS does, and the OpenSearch ITs that rely on it prove something.
 */
class SigV4VerifierTest {
    private static final String ACCESS_KEY = "AKIDEXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant SIGNED_AT = Instant.parse("2015-08-30T12:36:00Z");
    private static final String VANILLA = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    private static final String QUERY_ORDER = "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500";

    private final SigV4Verifier verifier = verifier(Clock.fixed(SIGNED_AT.plusSeconds(60), ZoneOffset.UTC));

    @Test
    void awsPublishedExamplesAreAccepted() {
        assertThat(verifier.verify("GET", "/", null, headers(VANILLA, "20150830T123600Z"), new byte[0]))
                .isEqualTo(new SigV4Verifier.Verdict(true, ""));
        // The query is sorted before it is signed: sent in the other order, the same signature holds.
        assertThat(verifier.verify("GET", "/", "Param2=value2&Param1=value1", headers(QUERY_ORDER, "20150830T123600Z"),
                                   new byte[0]).accepted()).isTrue();
    }

    @Test
    void anyChangeToWhatWasSignedIsRefused() {
        String flipped = VANILLA.substring(0, 63) + (VANILLA.endsWith("1") ? "2" : "1");
        assertThat(verifier.verify("GET", "/", null, headers(flipped, "20150830T123600Z"), new byte[0]).reason())
                .startsWith("The request signature we calculated does not match");
        assertThat(verifier.verify("POST", "/", null, headers(VANILLA, "20150830T123600Z"), new byte[0]).accepted())
                .isFalse();
        assertThat(verifier.verify("GET", "/other", null, headers(VANILLA, "20150830T123600Z"), new byte[0]).accepted())
                .isFalse();
        assertThat(verifier.verify("GET", "/", "Param1=value1", headers(QUERY_ORDER, "20150830T123600Z"), new byte[0])
                           .accepted()).isFalse();
        assertThat(verifier.verify("GET", "/", null, headers(VANILLA, "20150830T123600Z"),
                                   "{}".getBytes(StandardCharsets.UTF_8)).accepted()).isFalse();
    }

    @Test
    void anotherSecretAnUnknownKeyAnOldDateOrNoSignatureAreRefused() {
        SigV4Verifier otherSecret = new SigV4Verifier("service", "us-east-1",
                                                      Clock.fixed(SIGNED_AT, ZoneOffset.UTC), Duration.ofMinutes(5));
        otherSecret.accept(ACCESS_KEY, SECRET + "x", null);
        assertThat(otherSecret.verify("GET", "/", null, headers(VANILLA, "20150830T123600Z"), new byte[0]).accepted())
                .isFalse();

        SigV4Verifier noKeys = new SigV4Verifier("service", "us-east-1", Clock.fixed(SIGNED_AT, ZoneOffset.UTC),
                                                 Duration.ofMinutes(5));
        assertThat(noKeys.verify("GET", "/", null, headers(VANILLA, "20150830T123600Z"), new byte[0]).reason())
                .isEqualTo("The security token included in the request is invalid.");

        SigV4Verifier later = verifier(Clock.fixed(SIGNED_AT.plus(Duration.ofMinutes(6)), ZoneOffset.UTC));
        assertThat(later.verify("GET", "/", null, headers(VANILLA, "20150830T123600Z"), new byte[0]).reason())
                .startsWith("Signature expired: 20150830T123600Z is now earlier than");

        Map<String, List<String>> unsigned = new LinkedHashMap<>(headers(VANILLA, "20150830T123600Z"));
        unsigned.remove("Authorization");
        assertThat(verifier.verify("GET", "/", null, unsigned, new byte[0]).reason())
                .isEqualTo("Missing Authentication Token");
    }

    @Test
    void aTemporaryKeyNeedsItsSessionToken() {
        SigV4Verifier temporary = new SigV4Verifier("service", "us-east-1", Clock.fixed(SIGNED_AT, ZoneOffset.UTC),
                                                    Duration.ofMinutes(5));
        temporary.accept(ACCESS_KEY, SECRET, "session");
        assertThat(temporary.verify("GET", "/", null, headers(VANILLA, "20150830T123600Z"), new byte[0]).reason())
                .isEqualTo("The security token included in the request is invalid.");
    }

    @Test
    void pathsAreEncodedOnceMoreAndQueriesCanonically() {
        assertThat(SigV4Verifier.canonicalUri("/catalog%2Cother/_search")).isEqualTo("/catalog%252Cother/_search");
        assertThat(SigV4Verifier.canonicalQuery("b=2&a=x+y&a=%2A&flag")).isEqualTo("a=%2A&a=x%20y&b=2&flag=");
    }

    private static SigV4Verifier verifier(Clock clock) {
        SigV4Verifier verifier = new SigV4Verifier("service", "us-east-1", clock, Duration.ofMinutes(5));
        verifier.accept(ACCESS_KEY, SECRET, null);
        return verifier;
    }

    private static Map<String, List<String>> headers(String signature, String date) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("example.amazonaws.com"));
        headers.put("X-Amz-Date", List.of(date));
        headers.put("Authorization", List.of("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY
                                             + "/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, "
                                             + "Signature=" + signature));
        return headers;
    }
}
