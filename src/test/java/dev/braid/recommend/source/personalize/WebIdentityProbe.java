package dev.braid.recommend.source.personalize;

import java.time.Duration;
import java.util.Set;

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
