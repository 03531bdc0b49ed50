package dev.braid.sim;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.braid.dev.DemoCatalog;
import dev.braid.testing.FaultMode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Databricks Model Serving's invocation protocol: input formats, auth, errors and faults. */
class DatabricksSimulatorIT {
    private static final String TOKEN = "dapi-test-token";
    private static DatabricksSimulator sim;
    private static URI invocations;

    @BeforeAll
    static void start() {
        sim = new DatabricksSimulator(DemoCatalog.itemIds(1000), Duration.ZERO, TOKEN, Set.of("braid-recs"), "7").start(0);
        invocations = sim.baseUri().resolve("/serving-endpoints/braid-recs/invocations");
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void heal() {
        sim.reset();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"dataframe_records\":[{\"user_id\":\"u1\",\"surface\":\"home\",\"num_items\":5},{\"user_id\":\"u2\",\"surface\":\"home\",\"num_items\":5}]}",
            "{\"dataframe_split\":{\"columns\":[\"user_id\",\"surface\",\"num_items\"],\"data\":[[\"u1\",\"home\",5],[\"u2\",\"home\",5]]}}",
            "{\"instances\":[{\"user_id\":\"u1\",\"surface\":\"home\",\"num_items\":5},{\"user_id\":\"u2\",\"surface\":\"home\",\"num_items\":5}]}",
            "{\"inputs\":{\"user_id\":[\"u1\",\"u2\"],\"surface\":[\"home\",\"home\"],\"num_items\":[5,5]}}"})
    void everyInputFormatGivesTheSamePredictions(String body) throws Exception {
        JsonNode predictions = SimHttp.json(invoke(body, TOKEN)).get("predictions");
        JsonNode reference = SimHttp.json(invoke("{\"dataframe_records\":[{\"user_id\":\"u1\",\"surface\":\"home\","
                                                 + "\"num_items\":5},{\"user_id\":\"u2\",\"surface\":\"home\",\"num_items\":5}]}",
                                                 TOKEN)).get("predictions");
        assertThat(predictions).hasSize(2).isEqualTo(reference);
        assertThat(predictions.get(0).get("item_ids")).hasSize(5);
        assertThat(predictions.get(0).get("scores")).hasSize(5);
        assertThat(predictions.get(0).get("model_version").asText()).isEqualTo("7");
        assertThat(predictions.get(0).get("item_ids")).isNotEqualTo(predictions.get(1).get("item_ids"));
    }

    @Test
    void excludedItemsAreLeftOut() throws Exception {
        JsonNode first = SimHttp.json(invoke("{\"dataframe_records\":[{\"user_id\":\"u5\",\"num_items\":3}]}", TOKEN));
        String top = first.at("/predictions/0/item_ids/0").asText();
        JsonNode filtered = SimHttp.json(invoke("{\"dataframe_records\":[{\"user_id\":\"u5\",\"num_items\":3,\"exclude\":[\""
                                                + top + "\"]}]}", TOKEN));
        assertThat(filtered.at("/predictions/0/item_ids").toString()).doesNotContain("\"" + top + "\"");
        assertThat(filtered.at("/predictions/0/item_ids")).hasSize(3);
    }

    @Test
    void theBearerTokenIsChecked() throws Exception {
        HttpResponse<String> wrong = invoke("{\"dataframe_records\":[{\"user_id\":\"u1\"}]}", "not-the-token");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(SimHttp.json(wrong).get("error_code").asText()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void unknownEndpointsAndFormatsAreErrors() throws Exception {
        HttpResponse<String> unknown = SimHttp.post(sim.baseUri().resolve("/serving-endpoints/nope/invocations"),
                                                    "{\"instances\":[]}", "Authorization", "Bearer " + TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(SimHttp.json(unknown).get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");

        HttpResponse<String> badFormat = invoke("{\"rows\":[]}", TOKEN);
        assertThat(badFormat.statusCode()).isEqualTo(400);
        assertThat(SimHttp.json(badFormat).get("error_code").asText()).isEqualTo("BAD_REQUEST");
    }

    @Test
    void faultModesAnswerInDatabricksForm() throws Exception {
        String body = "{\"dataframe_records\":[{\"user_id\":\"u1\"}]}";
        sim.mode(FaultMode.THROTTLE, Duration.ZERO, Duration.ofSeconds(3));
        HttpResponse<String> throttled = invoke(body, TOKEN);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("3");
        assertThat(SimHttp.json(throttled).get("error_code").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");

        sim.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
        assertThat(invoke(body, TOKEN).statusCode()).isEqualTo(500);

        sim.mode(FaultMode.MALFORMED, Duration.ZERO, Duration.ZERO);
        HttpResponse<String> malformed = invoke(body, TOKEN);
        assertThat(malformed.statusCode()).isEqualTo(200);
        assertThat(malformed.body()).startsWith("{\"predictions\"").doesNotEndWith("}");
        assertThat(sim.requests()).isEqualTo(3);
    }

    private static HttpResponse<String> invoke(String body, String token) throws Exception {
        return SimHttp.post(invocations, body, "Authorization", "Bearer " + token);
    }
}
