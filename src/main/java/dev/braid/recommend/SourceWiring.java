package dev.braid.recommend;

import java.util.Map;

/**
 * What the composition root hands a {@link SourceKind} to build its client from: the users' histories and the clients
 * the instance shares between several parts (such as its one OpenSearch client), looked up by type, so that this
 * package never names a vendor type.
 */
public record SourceWiring(UserHistory history, Map<Class<?>, Object> clients) {

    public SourceWiring {
        clients = Map.copyOf(clients);
    }

    /**
     * The shared client of {@code type}.
     *
     * @throws IllegalStateException when the instance has none (a wiring mistake, found at start-up)
     */
    public <T> T client(Class<T> type) {
        Object client = clients.get(type);
        if (client == null) {
            throw new IllegalStateException("no shared " + type.getSimpleName() + " to build a source with");
        }
        return type.cast(client);
    }
}
