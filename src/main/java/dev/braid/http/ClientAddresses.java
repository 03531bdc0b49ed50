package dev.braid.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import dev.braid.config.AddressRange;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * Who the client is, as far as the network can tell: the peer of the connection, unless the peer is a configured
 * trusted proxy; then the rightmost {@code X-Forwarded-For} entry that is not one of the trusted proxies (entries to its
 * left were written by the client and prove nothing). A header that is too long or malformed counts as absent.
 */
public final class ClientAddresses {
    private static final HeaderName FORWARDED_FOR = HeaderNames.X_FORWARDED_FOR;
    private static final int MAX_HEADER_LENGTH = 1024;
    private static final int MAX_HOPS = 20;

    private final List<AddressRange> trusted;

    public ClientAddresses(List<AddressRange> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** The client's address as text, or {@code unknown} when the connection has no IP peer. */
    public String of(ServerRequest req) {
        InetAddress peer = req.remotePeer().address() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        if (peer == null) {
            return "unknown";
        }
        if (trusted.isEmpty() || !isTrusted(peer)) {
            return peer.getHostAddress();
        }
        return forwarded(req).orElse(peer).getHostAddress();
    }

    private Optional<InetAddress> forwarded(ServerRequest req) {
        List<String> headers = HeaderParameters.values(req, FORWARDED_FOR);
        String joined = String.join(",", headers);
        if (joined.isEmpty() || joined.length() > MAX_HEADER_LENGTH) {
            return Optional.empty();
        }
        String[] hops = joined.split(",");
        if (hops.length > MAX_HOPS) {
            return Optional.empty();
        }
        for (int i = hops.length - 1; i >= 0; i--) {
            Optional<InetAddress> hop = AddressRange.literal(hops[i].trim());
            if (hop.isEmpty()) {
                return Optional.empty();
            }
            if (!isTrusted(hop.get())) {
                return hop;
            }
        }
        return Optional.empty();
    }

    private boolean isTrusted(InetAddress address) {
        for (AddressRange range : trusted) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
