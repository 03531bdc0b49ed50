package dev.braid.dev;

import java.util.List;

/**
 * {@code bin/dev}'s command line (docs/development.md).
 *
 * @param noL1 run the replicas without their in-process cache tier
 */
record DevOptions(int port, int adminPort, int simPort, int replicas, boolean noL1) {
    static final String USAGE = """
            usage: bin/dev [--port N] [--admin-port N] [--sim-port N] [--replicas K] [--no-l1] [--help]
              --port N        public API port of the first replica (default 8080); replica i listens on N+i
              --admin-port N  admin/observe port of the first replica (default 9090); replica i on N+i
              --sim-port N    simulator control API port (default 9191)
              --replicas K    service instances sharing Redis, OpenSearch and the simulators (default 1)
              --no-l1         disable the in-process cache tier (measure the Redis tier alone)
              --help          print this and exit
            It prints one line, BRAID READY api=... admin=... sim=... redis=... opensearch=..., once every replica is
            ready; Ctrl-C stops everything it started. JAVA_OPTS adds JVM flags (naming a collector, e.g.
            JAVA_OPTS=-XX:+UseZGC, replaces the default G1). See docs/development.md.""";

    /** Whether the command line asks for the usage text. */
    static boolean wantsHelp(List<String> args) {
        return args.contains("--help") || args.contains("-h");
    }

    static DevOptions parse(List<String> args) {
        int port = 8080;
        int adminPort = 9090;
        int simPort = 9191;
        int replicas = 1;
        boolean noL1 = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--port" -> port = port(args, ++i, arg);
                case "--admin-port" -> adminPort = port(args, ++i, arg);
                case "--sim-port" -> simPort = port(args, ++i, arg);
                case "--replicas" -> replicas = number(args, ++i, arg, 1, 16);
                case "--no-l1" -> noL1 = true;
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        DevOptions options = new DevOptions(port, adminPort, simPort, replicas, noL1);
        options.checkNoOverlap();
        return options;
    }

    /** Every port this stack will bind, with the option it comes from. */
    List<PortUse> ports() {
        List<PortUse> uses = new java.util.ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            uses.add(new PortUse(port + i, "--port"));
            uses.add(new PortUse(adminPort + i, "--admin-port"));
        }
        uses.add(new PortUse(simPort, "--sim-port"));
        return uses;
    }

    record PortUse(int port, String option) {
    }

    private void checkNoOverlap() {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (PortUse use : ports()) {
            if (!seen.add(use.port())) {
                throw new IllegalArgumentException("port " + use.port() + " is needed twice; with --replicas " + replicas
                                                   + ", --port, --admin-port and --sim-port ranges must not overlap");
            }
        }
    }

    private static int port(List<String> args, int index, String option) {
        return number(args, index, option, 1, 65_535);
    }

    private static int number(List<String> args, int index, String option, int min, int max) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        try {
            int value = Integer.parseInt(args.get(index));
            if (value < min || value > max) {
                throw new IllegalArgumentException(option + " must be " + min + ".." + max + " (was " + value + ")");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number (was '" + args.get(index) + "')");
        }
    }
}
