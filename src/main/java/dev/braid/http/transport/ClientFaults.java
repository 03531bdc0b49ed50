package dev.braid.http.transport;

import java.io.UncheckedIOException;
import java.net.SocketException;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.helidon.common.buffers.DataReader;

/**
 * What Helidon's HTTP/1.1 connection logs as its own internal error but is the client's doing: a client that went
 * away in the middle of its header section, and a request line with characters HTTP does not allow in a method (Helidon
 * parses it with a check that throws instead of answering 400; the direct handler turns the answer into a 400). Such a
 * report is taken off the warning log, one line at FINE instead of a stack trace per connection, and a vanished client
 * is counted as a client abort. The raw-socket tests of both cases fail if a Helidon version logs them otherwise.
 */
public final class ClientFaults implements Filter {
    /** The logger of Helidon's HTTP/1.1 connection. */
    static final String HELIDON_HTTP1 = "io.helidon.webserver.http1.Http1Connection";
    private static final Logger LOG = Logger.getLogger(ClientFaults.class.getName());
    private static volatile Runnable clientAborts = () -> {
    };
    /** Held: JUL keeps loggers weakly, and a collected one would come back without the filter. */
    private static Logger helidon;

    private final Filter next;

    private ClientFaults(Filter next) {
        this.next = next;
    }

    /**
     * Installs the filter on Helidon's connection logger, once per JVM (several instances share it).
     *
     * @param clientAbort counts a client that went away
     */
    public static synchronized void install(Runnable clientAbort) {
        clientAborts = clientAbort;
        helidon = Logger.getLogger(HELIDON_HTTP1);
        if (!(helidon.getFilter() instanceof ClientFaults)) {
            helidon.setFilter(new ClientFaults(helidon.getFilter()));
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (thrown != null && record.getLevel().intValue() >= Level.WARNING.intValue()) {
            if (clientWentAway(thrown)) {
                clientAborts.run();
                LOG.log(Level.FINE, "a client went away before its request was read", thrown);
                return false;
            }
            if (badRequestLine(thrown)) {
                LOG.log(Level.FINE, "a request line HTTP does not allow: " + thrown.getMessage());
                return false;
            }
        }
        return next == null || next.isLoggable(record);
    }

    private static boolean clientWentAway(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof DataReader.InsufficientDataAvailableException || cause instanceof SocketException
                || cause instanceof UncheckedIOException && cause.getCause() instanceof SocketException) {
                return true;
            }
        }
        return false;
    }

    /** Helidon's method and token parsing refuses a control or separator character with IllegalArgumentException. */
    private static boolean badRequestLine(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException) {
                for (StackTraceElement frame : cause.getStackTrace()) {
                    if (frame.getClassName().startsWith("io.helidon.webserver.http1.Http1Prologue")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
