package dev.braid.http.transport;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * How many connections the API port may hold within the process's file-descriptor limit. A port whose connections
 * exhaust the descriptors does not just refuse more: Helidon's listener ends for good when accepting fails, and every
 * outbound pool (Redis, OpenSearch, downstreams) fails with it. So the configured maximum is capped to what the limit
 * leaves after the admin port and a reserve for everything else the process opens.
 */
public final class FileDescriptorBudget {
    /** Outbound pools (Redis, OpenSearch, each downstream), jars, logs, JFR files: generously more than they take. */
    static final int RESERVE = 1024;

    private FileDescriptorBudget() {
    }

    /** The process's open-file limit, when the platform tells it. */
    public static OptionalLong limit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? OptionalLong.of(unix.getMaxFileDescriptorCount())
                                                           : OptionalLong.empty();
    }

    /**
     * The API port's maximum: {@code configured}, or less when {@code instances} instances in this process (each with an
     * admin port of {@code adminMax}) would otherwise need more descriptors than {@code limit} allows; at least 1.
     */
    public static int apiConnections(int configured, int adminMax, int instances, OptionalLong limit) {
        if (limit.isEmpty()) {
            return configured;
        }
        long perInstance = (limit.getAsLong() - RESERVE) / instances - adminMax;
        return (int) Math.max(1, Math.min(configured, perInstance));
    }
}
