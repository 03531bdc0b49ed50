package dev.braid.recommend.source.personalize;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.braid.config.HttpClientConfig;
import dev.braid.config.InvalidConfigException;
import dev.braid.config.Rule;
import dev.braid.config.Settings;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.SourceConfig;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceKind;

/**
 * AWS Personalize ({@code kind: personalize}): campaigns or recommenders per surface through GetRecommendations, and an
 * optional ranking campaign for GetPersonalizedRanking. Per user: it never answers anonymous visitors. The {@code kind}
 * key itself is read by the composition root, which picks this record by it.
 *
 * @param region                 AWS region, e.g. {@code eu-west-1}; empty: the SDK's default region provider chain
 * @param endpoint               endpoint override (the simulator, a VPC endpoint), or {@code null} for AWS's own
 * @param arns                   surface → campaign or recommender ARN; an ARN containing {@code :recommender/} is sent as
 *                               {@code recommenderArn}, any other as {@code campaignArn}. A surface without one fails at
 *                               call time.
 * @param rankingCampaignArn     the campaign for re-ranking (GetPersonalizedRanking), or {@code null}
 * @param filterArn              a filter applied to every GetRecommendations call, or {@code null}
 * @param filterExcludeParameter the filter's placeholder that receives the request's {@code exclude} ids (at most
 *                               {@value PersonalizeCandidateSource#MAX_FILTER_IDS} of them), or {@code null}
 * @param context                Personalize context key → the request field that fills it (e.g.
 *                               {@code DEVICE_COUNTRY: country}); keys without a value in the request are not sent
 * @param metadataColumns        dataset type → columns to return (e.g. {@code ITEMS: [TITLE]}); with metadata Personalize
 *                               answers at most 50 items, so surfaces using it should ask for at most 50 candidates
 * @param promotions             promotions sent with every GetRecommendations call
 * @param modelVersion           reported as the source's model version; {@code null}: the ARN used
 * @param http                   connection pool and time limits of the SDK's HTTP client
 */
public record PersonalizeConfig(SourceId id, String region, URI endpoint, Map<String, String> arns,
                                String rankingCampaignArn, String filterArn, String filterExcludeParameter,
                                Map<String, ContextField> context, Map<String, List<String>> metadataColumns,
                                List<Promotion> promotions, String modelVersion, HttpClientConfig http)
        implements SourceConfig {

    /** AWS's pattern for Personalize ARNs (campaigns, recommenders, filters). */
    private static final Pattern ARN = Pattern.compile("arn:([a-z\\d-]+):personalize:.*:.*:.+");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+){2,}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z\\d_]{1,150}");
    private static final Pattern FILTER_PARAMETER = Pattern.compile("[A-Za-z0-9_]{1,50}");
    private static final int MAX_METADATA_COLUMNS = 10;

    /** The request field that fills a Personalize context key. */
    public enum ContextField {
        COUNTRY,
        LANGUAGE;

        /** The field's value in {@code request}, or {@code null} when the request has none. */
        public String value(RecommendationRequest request) {
            return switch (this) {
                case COUNTRY -> request.country();
                case LANGUAGE -> request.language();
            };
        }
    }

    /**
     * A promotion (GetRecommendations {@code promotions}): {@code percent} of the list comes from items that pass
     * {@code filterArn}; promoted items carry the promotion's name as their reason.
     */
    public record Promotion(String name, int percent, String filterArn) {
        private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}");

        public Promotion {
            Rule.check(name != null && NAME.matcher(name).matches(), "name",
                       "must be 1..63 letters, digits, '-' or '_', starting with a letter or digit (was '" + name + "')");
            Rule.check(percent >= 1 && percent <= 100, "percent", "must be 1..100 (was " + percent + ")");
            checkArn("filter-arn", filterArn);
        }

        static Promotion create(Settings node) {
            return node.bind(() -> new Promotion(node.string("name", null), node.integer("percent", 0),
                                                 node.string("filter-arn", null)));
        }
    }

    public PersonalizeConfig {
        arns = Map.copyOf(arns);
        context = Map.copyOf(context);
        metadataColumns = Map.copyOf(metadataColumns);
        promotions = List.copyOf(promotions);
        region = region == null ? "" : region.trim();
        Rule.check(region.isEmpty() || REGION.matcher(region).matches(), "region",
                   "must be an AWS region such as eu-west-1, or empty for the SDK's default region chain (was '" + region
                   + "')");
        Rule.check(!arns.isEmpty() || rankingCampaignArn != null, "arns",
                   "must map at least one surface to a campaign or recommender ARN (or set ranking-campaign-arn for a"
                   + " re-ranking-only source)");
        arns.forEach((surface, arn) -> checkArn("arns." + surface, arn));
        if (rankingCampaignArn != null) {
            checkArn("ranking-campaign-arn", rankingCampaignArn);
            Rule.check(!isRecommender(rankingCampaignArn), "ranking-campaign-arn",
                       "must be a campaign ARN: recommenders cannot re-rank (was '" + rankingCampaignArn + "')");
        }
        if (filterArn != null) {
            checkArn("filter-arn", filterArn);
        }
        if (filterExcludeParameter != null) {
            Rule.check(filterArn != null, "filter-exclude-parameter", "needs filter-arn: the parameter belongs to that"
                                                                     + " filter's expression");
            Rule.check(FILTER_PARAMETER.matcher(filterExcludeParameter).matches(), "filter-exclude-parameter",
                       "must be the filter's placeholder name without '$', 1..50 letters, digits or '_' (was '"
                       + filterExcludeParameter + "')");
        }
        context.keySet().forEach(key -> Rule.check(KEY.matcher(key).matches(), "context." + key,
                                                   "a context key must be 1..150 letters, digits or '_'"));
        metadataColumns.forEach((dataset, columns) -> {
            Rule.check(KEY.matcher(dataset).matches(), "metadata-columns." + dataset,
                       "a dataset type must be letters, digits or '_', e.g. ITEMS");
            Rule.check(!columns.isEmpty() && columns.size() <= MAX_METADATA_COLUMNS, "metadata-columns." + dataset,
                       "must name 1.." + MAX_METADATA_COLUMNS + " columns (was " + columns.size() + ")");
        });
        Rule.check(modelVersion == null || !modelVersion.isBlank(), "model-version", "must not be blank when set");
    }

    @Override
    public SourceKind<PersonalizeConfig> kind() {
        return PersonalizeKind.KIND;
    }

    /** With a ranking campaign it re-ranks (GetPersonalizedRanking). */
    @Override
    public boolean reranks() {
        return rankingCampaignArn != null;
    }

    public static PersonalizeConfig create(SourceId id, Settings node) {
        return node.bind(() -> {
            Map<String, ContextField> context = new LinkedHashMap<>();
            node.stringMap("context").forEach(
                    (key, field) -> context.put(key, contextField(node, "context." + key, field)));
            List<Promotion> promotions = new ArrayList<>();
            for (Settings promotion : node.sections("promotions")) {
                promotions.add(Promotion.create(promotion));
            }
            return new PersonalizeConfig(id,
                                         node.string("region", ""),
                                         node.string("endpoint", "").isBlank() ? null : node.url("endpoint", null),
                                         node.stringMap("arns"),
                                         optional(node.string("ranking-campaign-arn", null)),
                                         optional(node.string("filter-arn", null)),
                                         optional(node.string("filter-exclude-parameter", null)),
                                         context,
                                         node.listMap("metadata-columns"),
                                         promotions,
                                         optional(node.string("model-version", null)),
                                         HttpClientConfig.read(node, PersonalizeKind.DEFAULT_TIMEOUT));
        });
    }

    @Override
    public boolean perUser() {
        return true;
    }

    /** Whether {@code arn} names a recommender (domain dataset groups) rather than a campaign. */
    public static boolean isRecommender(String arn) {
        return arn.contains(":recommender/");
    }

    private static ContextField contextField(Settings node, String key, String value) {
        try {
            return ContextField.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(node.key(key), "must be country or language (was '" + value + "')");
        }
    }

    private static void checkArn(String key, String arn) {
        Rule.check(arn != null && !arn.isBlank(), key, "must be set to a Personalize ARN");
        Rule.check(arn.length() <= 256 && ARN.matcher(arn).matches(), key,
                   "must be a Personalize ARN such as arn:aws:personalize:eu-west-1:123456789012:campaign/home (was '"
                   + arn + "')");
    }

    private static String optional(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
