package dev.braid.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/configuration.md} lists every setting of {@code config/application.yaml}, and only those: each key with
 * the file's value as its default and the environment variable Helidon maps to it. Rows for keys of another source or
 * surface ({@code sources.<id>.url}) are examples of a pattern and are not checked.
 */
class ConfigurationDocTest {
    private static final Path YAML = Path.of("config/application.yaml");
    private static final Path DOC = Path.of("docs/configuration.md");
    /** A {@code key: value  # comment} line of the YAML file; a key without a value opens a section. */
    private static final Pattern YAML_LINE = Pattern.compile("^( *)([a-z][a-z0-9-]*):( *[^#]*?)? *(#.*)?$");
    /** A table row whose first cell is one backticked dotted key without placeholders ({@code <id>}). */
    private static final Pattern DOC_ROW =
            Pattern.compile("^\\|\\s*`([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)`\\s*\\|(.*)\\|\\s*$");
    /** Cells are separated by pipes that are not escaped ({@code \|} is a pipe inside a cell). */
    private static final Pattern CELL_SEPARATOR = Pattern.compile("(?<!\\\\)\\|");

    /** A documented setting: its default and its environment variable, as the doc's table shows them. */
    record Row(String defaultValue, String environmentVariable) {
    }

    private static Map<String, String> settings;
    private static Map<String, Row> documented;

    @BeforeAll
    static void read() throws IOException {
        settings = settings(Files.readAllLines(YAML));
        documented = documented(Files.readAllLines(DOC));
    }

    @Test
    void everySettingOfTheFileIsDocumented() {
        Set<String> missing = new TreeSet<>(settings.keySet());
        missing.removeAll(documented.keySet());
        assertThat(missing).as("keys of %s without a row in %s (add a row: | `key` | `default` | `ENV` | meaning |)",
                               YAML, DOC).isEmpty();
    }

    @Test
    void everyDocumentedSettingIsInTheFile() {
        Set<String> unknown = new TreeSet<>(documented.keySet());
        unknown.removeAll(settings.keySet());
        assertThat(unknown).as("rows of %s for keys that %s does not have", DOC, YAML).isEmpty();
    }

    @Test
    void defaultsAreTheValuesOfTheFile() {
        List<String> wrong = new ArrayList<>();
        settings.forEach((key, value) -> {
            Row row = documented.get(key);
            if (row != null && !row.defaultValue().equals("`" + value + "`")) {
                wrong.add(key + ": documented " + row.defaultValue() + ", the file says `" + value + "`");
            }
        });
        assertThat(wrong).as("defaults in %s", DOC).isEmpty();
    }

    @Test
    void environmentVariablesAreHelidonsMappingOfTheKey() {
        List<String> wrong = new ArrayList<>();
        documented.forEach((key, row) -> {
            String expected = "`" + environmentVariable(key) + "`";
            if (!row.environmentVariable().equals(expected)) {
                wrong.add(key + ": documented " + row.environmentVariable() + ", Helidon reads " + expected);
            }
        });
        assertThat(wrong).as("environment variables in %s", DOC).isEmpty();
    }

    @Test
    void theFileHasAsManySettingsAsExpected() {
        // A parser that found nothing would make every other test pass.
        assertThat(settings).hasSizeGreaterThan(100);
    }

    /** {@code server.admin-port} → {@code SERVER_ADMIN_dash_PORT}: '.' becomes '_', '-' becomes '_dash_'. */
    static String environmentVariable(String key) {
        StringBuilder name = new StringBuilder();
        for (char c : key.toCharArray()) {
            switch (c) {
                case '.' -> name.append('_');
                case '-' -> name.append("_dash_");
                default -> name.append(Character.toUpperCase(c));
            }
        }
        return name.toString();
    }

    /** Every leaf key of the YAML file with its value as written. */
    static Map<String, String> settings(List<String> lines) {
        Map<String, String> leaves = new LinkedHashMap<>();
        Deque<String> path = new ArrayDeque<>();
        Deque<Integer> indents = new ArrayDeque<>();
        for (String line : lines) {
            if (line.isBlank() || line.trim().startsWith("#")) {
                continue;
            }
            Matcher m = YAML_LINE.matcher(line);
            assertThat(m.matches()).as("a simple 'key: value # comment' line in %s: %s", YAML, line).isTrue();
            int indent = m.group(1).length();
            while (!indents.isEmpty() && indents.peek() >= indent) {
                indents.pop();
                path.pop();
            }
            String value = m.group(3) == null ? "" : m.group(3).trim();
            if (value.isEmpty()) {
                indents.push(indent);
                path.push(m.group(2));
            } else {
                List<String> segments = new ArrayList<>(path);
                Collections.reverse(segments);
                segments.add(m.group(2));
                leaves.put(String.join(".", segments), value);
            }
        }
        return leaves;
    }

    /** The rows of the doc's tables whose first cell is a concrete key, with their second and third cells. */
    static Map<String, Row> documented(List<String> lines) {
        Map<String, Row> rows = new LinkedHashMap<>();
        boolean inCode = false;
        for (String line : lines) {
            if (line.stripLeading().startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            Matcher m = DOC_ROW.matcher(line);
            if (inCode || !m.matches()) {
                continue;
            }
            String[] cells = CELL_SEPARATOR.split(m.group(2), -1);
            assertThat(cells.length).as("a row of at least 3 cells after the key in %s: %s", DOC, line)
                    .isGreaterThanOrEqualTo(3);
            String key = m.group(1);
            assertThat(rows).as("%s is listed once in %s", key, DOC).doesNotContainKey(key);
            rows.put(key, new Row(unescape(cells[0].trim()), cells[1].trim()));
        }
        return rows;
    }

    private static String unescape(String cell) {
        return cell.replace("\\|", "|");
    }
}
