package dev.braid.sim;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a simulator sends back: status, headers, body. */
public record SimulatedAnswer(int status, Map<String, String> headers, byte[] body) {

    public static SimulatedAnswer json(int status, String json) {
        return new SimulatedAnswer(status, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }

    public static SimulatedAnswer json(int status, String json, Map<String, String> extraHeaders) {
        Map<String, String> headers = new java.util.LinkedHashMap<>(extraHeaders);
        headers.put("Content-Type", "application/json");
        return new SimulatedAnswer(status, headers, json.getBytes(StandardCharsets.UTF_8));
    }
}
