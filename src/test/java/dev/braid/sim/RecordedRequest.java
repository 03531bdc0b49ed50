package dev.braid.sim;

import java.util.List;
import java.util.Map;

/** A request a simulator received, for tests that check what Braid sent (headers, parameters, body). */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers, String body) {

    /** First value of a header, case-insensitively, or {@code null}. */
    public String header(String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().getFirst();
            }
        }
        return null;
    }
}
