package dev.braid.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS sockets whose handshake is done as part of connecting, under the connect timeout. Jedis wraps the connected socket
 * and leaves the handshake to the first command, under that command's socket timeout (20 ms): a handshake takes round
 * trips and a signature, so it would fail on a busy machine, and its failure would look like a slow command. Here a
 * refused certificate fails the connect with the handshake's own reason.
 */
final class HandshakeFirst extends SSLSocketFactory {
    private final SSLSocketFactory tls;
    private final SSLParameters parameters;
    private final int handshakeMillis;

    HandshakeFirst(SSLContext context, SSLParameters parameters, Duration handshake) {
        this.tls = context.getSocketFactory();
        this.parameters = parameters;
        this.handshakeMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, handshake.toMillis()));
    }

    /** What the server must prove: its certificate chains to a trusted CA and, unless off, names the host dialled. */
    static SSLParameters parameters(boolean verifyHostname) {
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
        return parameters;
    }

    /** The one Jedis calls: TLS over the socket it connected. */
    @Override
    public Socket createSocket(Socket connected, String host, int port, boolean autoClose) throws IOException {
        SSLSocket socket = (SSLSocket) tls.createSocket(connected, host, port, autoClose);
        socket.setSSLParameters(parameters);
        int commandTimeout = connected.getSoTimeout();
        socket.setSoTimeout(handshakeMillis);
        socket.startHandshake();
        socket.setSoTimeout(commandTimeout);
        return socket;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return tls.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.getSupportedCipherSuites();
    }

    // Jedis connects the socket itself; these would connect without the connect timeout.
    @Override
    public Socket createSocket(String host, int port) {
        throw new UnsupportedOperationException("connect first, then wrap");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw new UnsupportedOperationException("connect first, then wrap");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
        throw new UnsupportedOperationException("connect first, then wrap");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        throw new UnsupportedOperationException("connect first, then wrap");
    }
}
