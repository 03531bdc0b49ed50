package dev.braid.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 on a plain socket: bytes exactly as written, with nothing an HTTP client would fix on the way (framing,
 * header names, versions). Reads what the server sends until it closes or a time limit passes, and tells which.
 */
public final class RawHttp implements AutoCloseable {
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.[01] (\\d{3})[^\\r\\n]*\\r\\n");

    private final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    public static RawHttp connect(int port) {
        return connectFrom("127.0.0.1", port);
    }

    /**
     * A connection from another loopback address ({@code 127.0.0.2} ...): another client, as far as the server can tell.
     */
    public static RawHttp connectFrom(String localAddress, int port) {
        return connect(localAddress, port, 0);
    }

    /**
     * A connection whose receive window is {@code bytes} small: a client that reads slowly, or not at all, makes the
     * server's writes block after a few answers instead of after megabytes of them.
     */
    public static RawHttp connectWithReceiveBuffer(int port, int bytes) {
        return connect("127.0.0.1", port, bytes);
    }

    private static RawHttp connect(String localAddress, int port, int receiveBuffer) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.bind(new java.net.InetSocketAddress(localAddress, 0));
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setTcpNoDelay(true);
            return new RawHttp(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the server has closed the connection: a read within {@code limit} finds its end (or a reset). */
    public boolean closedBy(Duration limit) {
        try {
            socket.setSoTimeout((int) Math.max(1, limit.toMillis()));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Writes {@code text} as ISO-8859-1 bytes; {@code \n} is not turned into anything. */
    public RawHttp send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes, but a peer that closed meanwhile is not a failure: the caller asserts what it received. */
    public boolean trySend(String text) {
        try {
            send(text);
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** Everything the server sends within {@code limit}: whether it closed the connection, and the responses. */
    public Received receive(Duration limit) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean closed = false;
        long started = System.nanoTime();
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            while (true) {
                long left = limit.toMillis() - Duration.ofNanos(System.nanoTime() - started).toMillis();
                if (left <= 0) {
                    break;
                }
                socket.setSoTimeout((int) left);
                int read = in.read(buffer);
                if (read < 0) {
                    closed = true;
                    break;
                }
                bytes.write(buffer, 0, read);
            }
        } catch (SocketTimeoutException e) {
            // still open after the limit
        } catch (SocketException e) {
            // reset by the server: closed
            closed = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Received(bytes.toString(StandardCharsets.ISO_8859_1), closed,
                            Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Reads the first response (head and Content-Length body) in chunks, as a client library would, for timing an
     * answer: bytes after it are dropped. {@link #receiveOne} reads byte by byte to leave the connection exactly as it
     * was, which costs a system call per byte.
     */
    public Response firstResponse(Duration limit) {
        try {
            socket.setSoTimeout((int) limit.toMillis());
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (true) {
                String text = bytes.toString(StandardCharsets.ISO_8859_1);
                int headEnd = text.indexOf("\r\n\r\n");
                if (headEnd >= 0) {
                    Response head = Response.parse(text.substring(0, headEnd + 4));
                    String length = head.headers().get("content-length");
                    int bodyLength = length == null ? 0 : Integer.parseInt(length);
                    if (text.length() >= headEnd + 4 + bodyLength) {
                        byte[] all = bytes.toByteArray();
                        return new Response(head.status(), head.headers(),
                                            new String(all, headEnd + 4, bodyLength, StandardCharsets.UTF_8));
                    }
                }
                int read = in.read(buffer);
                if (read < 0) {
                    throw new IllegalStateException("closed before a whole response: " + text);
                }
                bytes.write(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads exactly one response (head and Content-Length body), leaving the connection as it is. */
    public Response receiveOne(Duration limit) {
        try {
            socket.setSoTimeout((int) limit.toMillis());
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int next = in.read();
                if (next < 0) {
                    throw new IllegalStateException("closed before a whole response head: " + head);
                }
                head.append((char) next);
            }
            Response parsed = Response.parse(head.toString());
            String length = parsed.headers().get("content-length");
            byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
            return new Response(parsed.status(), parsed.headers(), new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket
        }
    }

    /** What arrived: all bytes, whether the server closed, and how long it took. */
    public record Received(String text, boolean closed, Duration took) {
        /** The responses in the bytes, in order (bodies by Content-Length). */
        public List<Response> responses() {
            List<Response> responses = new ArrayList<>();
            int at = 0;
            while (true) {
                Matcher status = STATUS.matcher(text);
                if (!status.find(at) || status.start() != at) {
                    return responses;
                }
                int headEnd = text.indexOf("\r\n\r\n", at);
                if (headEnd < 0) {
                    return responses;
                }
                Response head = Response.parse(text.substring(at, headEnd + 4));
                String length = head.headers().get("content-length");
                int bodyLength = length == null ? 0 : Integer.parseInt(length);
                int bodyEnd = Math.min(text.length(), headEnd + 4 + bodyLength);
                responses.add(new Response(head.status(), head.headers(), text.substring(headEnd + 4, bodyEnd)));
                at = bodyEnd;
            }
        }
    }

    /** One response; header names in lower case. */
    public record Response(int status, Map<String, String> headers, String body) {
        static Response parse(String head) {
            Matcher status = STATUS.matcher(head);
            if (!status.lookingAt()) {
                throw new IllegalStateException("not a status line: " + head);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : head.substring(status.end()).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            return new Response(Integer.parseInt(status.group(1)), headers, "");
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }
}
