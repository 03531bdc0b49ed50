package dev.braid.search.opensearch;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import dev.braid.config.InvalidConfigException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Arguments of {@code braid reindex}: what they ask for, and the exit code and message when they make no sense. */
class ReindexCommandTest {
    private static final ReindexCommand.Connector NEVER = () -> {
        throw new AssertionError("connected although the command should have stopped before");
    };

    @Test
    void aLoadTakesItsFileAndOptionsWithDefaultsForTheRest() throws Exception {
        assertThat(ReindexCommand.parse(List.of("--from", "catalog.jsonl")))
                .isEqualTo(new ReindexCommand.Invocation.Load(Path.of("catalog.jsonl"), Reindexer.Options.DEFAULTS));
        assertThat(ReindexCommand.parse(List.of("--batch", "50", "--from", "c.jsonl", "--max-errors", "0", "--keep", "5")))
                .isEqualTo(new ReindexCommand.Invocation.Load(Path.of("c.jsonl"), new Reindexer.Options(50, 0, 5)));
        assertThat(ReindexCommand.parse(List.of("--rollback"))).isEqualTo(new ReindexCommand.Invocation.Rollback());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''                                        | say what to load with --from FILE, or --rollback
            --form c.jsonl                            | unknown option '--form'
            c.jsonl                                   | unknown option 'c.jsonl'
            --from                                    | --from needs a value
            --from --batch 5                          | --from needs a value
            --from c.jsonl --batch                    | --batch needs a value
            --from c.jsonl --batch many               | --batch needs a whole number, not 'many'
            --from c.jsonl --batch 0                  | --batch must be between 1 and 10000 (was 0)
            --from c.jsonl --max-errors -1            | --max-errors must be between 0 and
            --from c.jsonl --keep 0                   | --keep must be between 1 and
            --from a.jsonl --from b.jsonl             | --from is given twice
            --rollback --from c.jsonl                 | --rollback takes no other options
            --batch 5                                 | say what to load with --from FILE, or --rollback
            """)
    void argumentsThatMakeNoCommandExitWithTwoAndTheUsage(String args, String message) {
        Output output = run(args.isBlank() ? List.of() : List.of(args.split(" ")), NEVER);

        assertThat(output.code()).isEqualTo(ReindexCommand.USAGE_ERROR);
        assertThat(output.err()).startsWith("braid reindex: " + message).contains(ReindexCommand.USAGE);
        assertThat(output.out()).isEmpty();
    }

    @Test
    void helpPrintsTheUsageAndSucceeds() {
        Output output = run(List.of("--help"), NEVER);

        assertThat(output.code()).isEqualTo(ReindexCommand.OK);
        assertThat(output.out()).isEqualTo(ReindexCommand.USAGE);
    }

    @Test
    void aMissingFileFailsBeforeConnecting() {
        Output output = run(List.of("--from", "/no/such/catalog.jsonl"), NEVER);

        assertThat(output.code()).isEqualTo(ReindexCommand.FAILED);
        assertThat(output.err()).isEqualTo("braid reindex: cannot read /no/such/catalog.jsonl" + System.lineSeparator());
    }

    @Test
    void badConfigurationExitsWithTwoAndItsProblems() {
        Output output = run(List.of("--rollback"), () -> {
            throw new InvalidConfigException("opensearch.url", "must be set");
        });

        assertThat(output.code()).isEqualTo(ReindexCommand.USAGE_ERROR);
        assertThat(output.err()).contains("opensearch.url: must be set");
    }

    private record Output(int code, String out, String err) {
    }

    private static Output run(List<String> args, ReindexCommand.Connector connector) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ReindexCommand.run(args, connector, new PrintStream(out, true, StandardCharsets.UTF_8),
                                      new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
