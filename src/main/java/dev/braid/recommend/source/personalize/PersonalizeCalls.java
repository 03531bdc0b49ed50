package dev.braid.recommend.source.personalize;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;
import dev.braid.resilience.Deadline;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.personalizeruntime.PersonalizeRuntimeClient;
import software.amazon.awssdk.services.personalizeruntime.model.PredictedItem;

/**
 * What both of a source's Personalize operations share: its client, the user it asks for, the call's time limit, the
 * request's context, the model version it reports and how SDK failures become {@link SourceException}s.
 */
final class PersonalizeCalls {
    private final PersonalizeConfig config;
    private final PersonalizeRuntimeClient client;

    PersonalizeCalls(PersonalizeConfig config, PersonalizeRuntimeClient client) {
        this.config = config;
        this.client = client;
    }

    SourceId id() {
        return config.id();
    }

    PersonalizeConfig config() {
        return config;
    }

    /** One SDK call; its failures as the domain's. */
    <T> T send(Function<PersonalizeRuntimeClient, T> call) {
        try {
            return call.apply(client);
        } catch (SdkException e) {
            throw PersonalizeFailures.of(id(), e, config.http().poolWait());
        }
    }

    String user(RecommendationRequest request) {
        if (request.user() == null || request.user().isBlank()) {
            // The plan skips per-user sources for anonymous visitors; Personalize would only answer 400.
            throw new SourceException(SourceStatus.ERROR, id() + " answers per user and was asked for an anonymous"
                                                          + " visitor");
        }
        return request.user();
    }

    /** The call's own limit: the configured timeout, never past the deadline, at least the SDK's 1 ms grain. */
    Duration callTimeout(Deadline deadline) {
        Duration left = deadline.cap(config.http().timeout());
        if (left.toMillis() < 1) {
            throw new SourceException(SourceStatus.TIMEOUT, id() + ": no time left before the deadline");
        }
        return left;
    }

    /** The configured context fields this request has values for. */
    Map<String, String> context(RecommendationRequest request) {
        Map<String, String> context = new LinkedHashMap<>();
        config.context().forEach((key, field) -> {
            String value = field.value(request);
            if (value != null && !value.isBlank()) {
                context.put(key, value);
            }
        });
        return context;
    }

    String modelVersion(String arn) {
        return config.modelVersion() != null ? config.modelVersion() : arn;
    }

    static boolean usable(String itemId) {
        return itemId != null && !itemId.isBlank();
    }

    static double score(PredictedItem item) {
        return item.score() == null ? Double.NaN : item.score();
    }
}
