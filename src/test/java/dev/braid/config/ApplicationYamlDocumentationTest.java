package dev.braid.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


import io.helidon.config.EnvironmentVariables;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code config/application.yaml} is the settings reference: every setting carries a comment, and the environment
 * variable it names really sets that setting under Helidon's mapping.
 */
class ApplicationYamlDocumentationTest {
    private static final Pattern LINE = Pattern.compile("^( *)([a-z][a-z0-9-]*):( *[^#]*?)? *(#.*)?$");
    private static final Pattern ENV = Pattern.compile("\\b[A-Z][A-Z0-9]*(?:_(?:dash_)?[A-Z0-9]+)+\\b");

    record Leaf(String key, String comment) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"config/application.yaml", "config/downstreams.yaml"})
    void everySettingHasACommentNamingItsEnvironmentVariable(String file) throws IOException {
        List<Leaf> leaves = leaves(Files.readAllLines(Path.of(file)));
        assertThat(leaves).hasSizeGreaterThan(15);
        for (Leaf leaf : leaves) {
            assertThat(leaf.comment()).as("comment of %s", leaf.key()).isNotBlank();
            if (leaf.key().endsWith(".kind")) {
                continue;
            }
            Matcher env = ENV.matcher(leaf.comment());
            assertThat(env.find()).as("environment variable named in the comment of %s", leaf.key()).isTrue();
            Map<String, String> expanded = EnvironmentVariables.expand(Map.of(env.group(), "x"));
            assertThat(expanded).as("%s maps to %s", env.group(), leaf.key()).containsKey(leaf.key());
        }
    }

    private static List<Leaf> leaves(List<String> lines) {
        List<Leaf> leaves = new ArrayList<>();
        Deque<String> path = new ArrayDeque<>();
        Deque<Integer> indents = new ArrayDeque<>();
        for (String line : lines) {
            if (line.isBlank() || line.trim().startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            assertThat(m.matches()).as("a simple 'key: value # comment' line: %s", line).isTrue();
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
                java.util.Collections.reverse(segments);
                segments.add(m.group(2));
                leaves.add(new Leaf(String.join(".", segments), m.group(4) == null ? "" : m.group(4)));
            }
        }
        return leaves;
    }
}
