package dev.braid.recommend.pipeline;

import java.util.Map;
import java.util.StringJoiner;

import dev.braid.experiments.Arm;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SurfacePlan;

/**
 * Cache keys of blended lists. A list's key holds everything the list depends on: a signed-in user's own key (with
 * their cache generation, which events bump), or the anonymous segment (country, language); the surface; the
 * experiment arm; and the model version each of the plan's sources last answered with, so a model deploy changes the
 * key instead of needing a flush. Not the page size or the exclusions: every page is cut from the one list.
 */
final class CacheKeys {

    private CacheKeys() {
    }

    static String key(SurfacePlan plan, RecommendationRequest request, long generation, Arm arm,
                      Map<SourceId, String> latestVersions) {
        StringJoiner key = new StringJoiner("|").add(plan.name()).add(owner(request));
        if (!request.anonymous()) {
            key.add("gen:" + generation);
        }
        key.add(arm == null ? "exp:-" : "exp:" + arm.experiment() + "=" + arm.variant());
        StringJoiner versions = new StringJoiner(",", "models:", "");
        plan.sources().forEach(planned -> versions.add(planned.source().name() + "="
                                                        + orDash(latestVersions.get(planned.source()))));
        return key.add(versions.toString()).toString();
    }

    /** The key a list is also kept under for its cursors. */
    static String version(String version) {
        return "version:" + version;
    }

    /** Whom a list is made for, and so whom its cursors are bound to: the surface and the user or segment. */
    static String binding(RecommendationRequest request) {
        return request.surface() + "|" + owner(request);
    }

    private static String owner(RecommendationRequest request) {
        return request.anonymous() ? "anon|" + orDash(request.country()) + "|" + orDash(request.language())
                                   : "user:" + request.user();
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }
}
