package dev.braid.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Renders a kustomization with the real tool, through bin/tools/kustomize-build: the script an operator's
 * {@code kubectl apply -k} stands for, and the one that installs kustomize where neither it nor kubectl is present.
 */
final class Kustomize {
    static final Path SCRIPT = Path.of("bin", "tools", "kustomize-build");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    // A first run on a fresh machine installs kustomize before rendering.
    private static final long TIMEOUT_MINUTES = 5;

    private Kustomize() {
    }

    /** Every object the kustomization in {@code dir} renders, in kustomize's order. */
    static List<JsonNode> build(Path dir) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("kustomize", ".err");
        try {
            Process process = new ProcessBuilder(SCRIPT.toString(), dir.toString())
                    .redirectError(stderr.toFile())
                    .start();
            process.getOutputStream().close();
            byte[] rendered = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(SCRIPT + " " + dir + " still running after " + TIMEOUT_MINUTES + " min");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(SCRIPT + " " + dir + " exited " + process.exitValue() + ":\n"
                        + Files.readString(stderr));
            }
            try (var parser = YAML.getFactory().createParser(new String(rendered, StandardCharsets.UTF_8))) {
                return YAML.readValues(parser, JsonNode.class).readAll().stream()
                        .filter(node -> node != null && !node.isNull() && !node.isMissingNode())
                        .toList();
            }
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
