package dev.braid.search.opensearch;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import dev.braid.config.InvalidConfigException;

import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;

/**
 * {@code braid reindex}: the operator's entry point to {@link Reindexer}. Exit codes: 0 done, 1 nothing was changed
 * (aborted, refused or failed; the alias is where it was), 2 bad arguments or configuration.
 */
public final class ReindexCommand {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE_ERROR = 2;
    public static final String USAGE = """
            usage: braid reindex --from FILE [--batch N] [--max-errors N] [--keep N]
                   braid reindex --rollback
              --from FILE       JSON Lines, one catalog document per line; loaded into a new versioned index,
                                then the catalog alias moves to it in one step
              --batch N         documents per bulk request (default 500, at most 10000)
              --max-errors N    bad lines and refused documents tolerated before aborting (default 100)
              --keep N          versions kept after the swap, newest first (default 3); the new one and the one
                                it replaced are always kept
              --rollback        point the alias back at the version before the current one
            """;
    private static final int MAX_BATCH = 10_000;

    private ReindexCommand() {
    }

    /** The cluster and the alias to work on. Closing it closes the client. */
    public record Target(OpenSearchClient client, String alias) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            client._transport().close();
        }
    }

    /** Reads the configuration and opens the client; only called once the arguments are known to be good. */
    @FunctionalInterface
    public interface Connector {
        Target connect();
    }

    /** What the arguments ask for. */
    sealed interface Invocation {
        record Load(Path from, Reindexer.Options options) implements Invocation {
        }

        record Rollback() implements Invocation {
        }

        record Help() implements Invocation {
        }
    }

    /** Arguments that do not make a command; the message says which and why. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** Runs the command with {@code args} (what follows {@code reindex}) and returns the exit code. */
    public static int run(List<String> args, Connector connector, PrintStream out, PrintStream err) {
        Invocation invocation;
        try {
            invocation = parse(args);
        } catch (UsageException e) {
            err.println("braid reindex: " + e.getMessage());
            err.print(USAGE);
            return USAGE_ERROR;
        }
        return switch (invocation) {
            case Invocation.Help help -> {
                out.print(USAGE);
                yield OK;
            }
            case Invocation.Load load -> {
                if (!Files.isRegularFile(load.from()) || !Files.isReadable(load.from())) {
                    err.println("braid reindex: cannot read " + load.from().toAbsolutePath());
                    yield FAILED;
                }
                yield withTarget(connector, err, target -> load(target, load, out, err));
            }
            case Invocation.Rollback rollback -> withTarget(connector, err, target -> rollback(target, out));
        };
    }

    static Invocation parse(List<String> args) throws UsageException {
        Path from = null;
        int batch = Reindexer.Options.DEFAULTS.batch();
        int maxErrors = Reindexer.Options.DEFAULTS.maxErrors();
        int keep = Reindexer.Options.DEFAULTS.keep();
        boolean rollback = false;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (!seen.add(option)) {
                throw new UsageException(option + " is given twice");
            }
            switch (option) {
                case "--help", "-h" -> {
                    return new Invocation.Help();
                }
                case "--rollback" -> rollback = true;
                case "--from" -> from = Path.of(value(args, ++i, option));
                case "--batch" -> batch = number(args, ++i, option, 1, MAX_BATCH);
                case "--max-errors" -> maxErrors = number(args, ++i, option, 0, Integer.MAX_VALUE);
                case "--keep" -> keep = number(args, ++i, option, 1, Integer.MAX_VALUE);
                default -> throw new UsageException("unknown option '" + option + "'");
            }
        }
        if (rollback) {
            if (seen.size() > 1) {
                throw new UsageException("--rollback takes no other options");
            }
            return new Invocation.Rollback();
        }
        if (from == null) {
            throw new UsageException("say what to load with --from FILE, or --rollback");
        }
        return new Invocation.Load(from, new Reindexer.Options(batch, maxErrors, keep));
    }

    private static String value(List<String> args, int at, String option) throws UsageException {
        if (at >= args.size() || args.get(at).startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(at);
    }

    private static int number(List<String> args, int at, String option, int min, int max) throws UsageException {
        String text = value(args, at, option);
        int number;
        try {
            number = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a whole number, not '" + text + "'");
        }
        if (number < min || number > max) {
            throw new UsageException(option + " must be between " + min + " and " + max + " (was " + number + ")");
        }
        return number;
    }

    private interface Work {
        int run(Target target) throws IOException;
    }

    private static int withTarget(Connector connector, PrintStream err, Work work) {
        Target target;
        try {
            target = connector.connect();
        } catch (InvalidConfigException e) {
            err.println("braid reindex: " + e.getMessage());
            return USAGE_ERROR;
        }
        try (target) {
            return work.run(target);
        } catch (ReindexException e) {
            err.println("braid reindex: " + e.getMessage());
        } catch (IOException | UncheckedIOException | OpenSearchException e) {
            err.println("braid reindex: failed: " + e);
        }
        return FAILED;
    }

    private static int load(Target target, Invocation.Load load, PrintStream out, PrintStream err) throws IOException {
        Reindexer reindexer = new Reindexer(target.client(), target.alias(), Clock.systemUTC(), new Printer(out, err));
        ReindexResult result;
        try (Stream<String> lines = Files.lines(load.from(), StandardCharsets.UTF_8)) {
            result = reindexer.load(lines, load.options());
        }
        return switch (result) {
            case ReindexResult.Swapped done -> {
                out.printf(Locale.ROOT, "reindexed: alias %s -> %s (was %s), %d documents, %d errors, %s; "
                                        + "deleted old versions: %s%n",
                           target.alias(), done.index(), list(done.previous(), "nothing"), done.documents(), done.errors(),
                           seconds(done.took()), list(done.deleted(), "none"));
                yield OK;
            }
            case ReindexResult.Aborted aborted -> {
                err.printf(Locale.ROOT, "braid reindex: aborted, %s; %s deleted, alias %s not moved "
                                        + "(%d documents, %d errors, %s)%n",
                           aborted.reason(), aborted.index(), target.alias(), aborted.documents(), aborted.errors(),
                           seconds(aborted.took()));
                yield FAILED;
            }
        };
    }

    private static int rollback(Target target, PrintStream out) throws IOException {
        ReindexListener silent = new ReindexListener() {
        };
        Reindexer.Rollback done = new Reindexer(target.client(), target.alias(), Clock.systemUTC(), silent).rollback();
        out.println("rolled back: alias " + target.alias() + " -> " + done.to() + " (was " + done.from() + ")");
        return OK;
    }

    private static String list(List<String> names, String none) {
        return names.isEmpty() ? none : String.join(", ", names);
    }

    private static String seconds(Duration took) {
        return String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
    }

    /** Progress on stdout, everything that needs a look on stderr. */
    private record Printer(PrintStream out, PrintStream err) implements ReindexListener {
        @Override
        public void created(String index) {
            out.println("loading into " + index);
        }

        @Override
        public void progress(long documents, long lines) {
            out.println("loaded " + documents + " documents, " + lines + " lines read");
        }

        @Override
        public void rejected(Rejection rejection) {
            String item = rejection.itemId().isEmpty() ? "" : " (item_id " + rejection.itemId() + ")";
            err.println("line " + rejection.line() + item + ": " + rejection.reason());
        }

        @Override
        public void warning(String message) {
            err.println("warning: " + message);
        }
    }
}
