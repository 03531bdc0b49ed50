package dev.braid.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "url=redis://:hunter2@redis:6379|url=redis://***@redis:6379",
            "url=https://braid:s3cret@opensearch.internal:9200, timeout=1s|url=https://***@opensearch.internal:9200, timeout=1s",
            "[http://a:b@x/, http://c@y/]|[http://***@x/, http://***@y/]",
            "endpoint=https://svc/v1/recs?token=abc123&n=20|endpoint=https://svc/v1/recs?token=***&n=20",
            "endpoint=https://svc/v1/recs?n=20&api_key=zzz]|endpoint=https://svc/v1/recs?n=20&api_key=***]",
            "url=http://opensearch:9200, username=braid|url=http://opensearch:9200, username=braid",
            "mail=a@b.c|mail=a@b.c",
            "url=https://b.s3/x?X-Amz-Credential=AKIA/x&X-Amz-Signature=f00d&X-Amz-Security-Token=t0k|url=https://b.s3/x?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***",
            "endpoint=https://svc/v1?apiKey=k1&n=2|endpoint=https://svc/v1?apiKey=***&n=2"})
    void credentialsInsideValuesAreMasked(String shown, String expected) {
        assertThat(Redaction.scrub(shown)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void aConfigurationProblemQuotingABadValueShowsNoCredentials() {
        InvalidConfigException problem = new InvalidConfigException(
                "opensearch.url", "must be an absolute http(s) URL with a host (was 'htp://braid:hunter2@opensearch:9200')");

        assertThat(problem.getMessage()).doesNotContain("hunter2").contains("htp://***@opensearch:9200");
        assertThat(problem.problems()).noneMatch(text -> text.contains("hunter2"));
    }
}
