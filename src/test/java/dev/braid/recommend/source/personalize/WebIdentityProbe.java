package dev.braid.recommend.source.personalize;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.braid.config.Settings;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.SourceId;
import dev.braid.resilience.Deadline;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * Run in a JVM of its own by {@link WebIdentityCredentialsIT} and {@link PodIdentityCredentialsIT}, with only the
 * environment a pod with IRSA or EKS Pod Identity has: a Personalize source on the simulator at {@code args[0]} (in the
 * region {@code args[1]} when given, else the SDK's region chain's), asked once. Prints how many candidates came back.
 */
public final class WebIdentityProbe {
    private WebIdentityProbe() {
    }

    /** How the probe's JVM ended, and what it printed. */
    record Result(int exit, String output) {
    }

    /**
     * Runs the probe against {@code personalize} with {@code environment} and nothing else of AWS's (no profile files,
     * no instance metadata: the chain can only succeed through what the test sets); {@code region} configured, or
     * {@code null} for the SDK's region chain. Its output goes to a file in {@code dir}.
     */
    static Result run(URI personalize, String region, Map<String, String> environment, Path dir)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-preview", "-cp",
                                                       System.getProperty("java.class.path"),
                                                       WebIdentityProbe.class.getName(), personalize.toString()));
        if (region != null) {
            command.add(region);
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
        env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.putAll(environment);
        Path output = dir.resolve("probe-" + System.nanoTime() + ".log");
        Process process = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the probe did not finish within 60 s: " + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    public static void main(String[] args) {
        java.util.Map<String, String> settings = new java.util.HashMap<>(java.util.Map.of(
                "endpoint", args[0],
                "arns.home", "arn:aws:personalize:us-east-1:123456789012:campaign/home",
                "timeout", "5s"));
        if (args.length > 1) {
            settings.put("region", args[1]);
        }
        Config config = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(settings))
                .build();
        PersonalizeConfig personalize = PersonalizeConfig.create(SourceId.of("personalize"), Settings.of(config));
        try (PersonalizeCandidateSource source = new PersonalizeCandidateSource(personalize)) {
            var batch = source.fetch(new CandidateQuery(
                    new RecommendationRequest("u1", "home", 10, Set.of(), null, null, null), 10,
                    Deadline.after(Duration.ofSeconds(10))));
            System.out.println("candidates=" + batch.candidates().size());
        }
    }
}
