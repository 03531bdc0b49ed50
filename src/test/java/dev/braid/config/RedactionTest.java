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
            "mail=a@b.c|mail=a@b.c"})
    void credentialsInsideValuesAreMasked(String shown, String expected) {
        assertThat(Redaction.scrub(shown)).isEqualTo(expected);
    }
}
