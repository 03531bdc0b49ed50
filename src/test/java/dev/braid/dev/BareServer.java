package dev.braid.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;

/**
 * The benchmark's yardstick: a bare Helidon server answering every GET with the same bytes (a recommendations answer
 * saved from Braid), as fast as Helidon can on this machine. {@code bin/bare PORT FILE}.
 */
public final class BareServer {
    private BareServer() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        byte[] body = Files.readAllBytes(Path.of(args[1]));
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .routing(routing -> routing.get("/*", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send(body);
                }))
                .build()
                .start();
        System.out.println("BARE READY http://127.0.0.1:" + server.port());
    }
}
