package dev.braid.recommend;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * What blending needs to know of a source, whatever its kind: how its candidates are explained, and how its item ids
 * map to the catalog's (a model trained on SKUs while the catalog keys by product id).
 *
 * @param explanation       the kind of reason its candidates get ({@code sources.<name>.explain})
 * @param itemIdPattern     ids that match it entirely are rewritten ({@code item-ids.pattern}); {@code null}: kept
 * @param itemIdReplacement what a matching id becomes, with {@code $1}-style groups ({@code item-ids.replacement})
 */
public record SourceTraits(Explanation explanation, Pattern itemIdPattern, String itemIdReplacement) {

    public SourceTraits {
        Rule.check(explanation != null, "explain", "must be set");
        Rule.check(itemIdPattern == null || itemIdReplacement != null, "replacement",
                   "must be set with pattern");
    }

    public static SourceTraits of(Explanation explanation) {
        return new SourceTraits(explanation, null, null);
    }

    /** Reads {@code explain} and {@code item-ids.*} from a source's node; the kind's own record reads the rest. */
    public static SourceTraits read(Settings node, Explanation defaultExplanation) {
        String explain = node.string("explain", "").trim();
        Explanation explanation = explain.isEmpty() ? defaultExplanation : Explanation.parse(explain).orElse(null);
        Rule.check(explanation != null, "explain", "must be one of " + names() + " (was '" + explain + "')");
        Settings ids = node.child("item-ids");
        return ids.bind(() -> {
            String pattern = ids.string("pattern", "");
            String replacement = ids.string("replacement", null);
            return new SourceTraits(explanation, pattern.isEmpty() ? null : compile(pattern), replacement);
        });
    }

    /** The catalog's id for one of the source's ids. */
    public UnaryOperator<String> canonicalId() {
        if (itemIdPattern == null) {
            return UnaryOperator.identity();
        }
        return id -> {
            Matcher matcher = itemIdPattern.matcher(id);
            if (!matcher.matches()) {
                return id;
            }
            String canonical = matcher.replaceFirst(itemIdReplacement);
            return canonical.isBlank() ? id : canonical;
        };
    }

    private static Pattern compile(String pattern) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            Rule.check(false, "pattern", "is not a regular expression: " + e.getDescription());
            return null;
        }
    }

    private static String names() {
        StringBuilder names = new StringBuilder();
        for (Explanation value : Explanation.values()) {
            names.append(names.isEmpty() ? "" : ", ").append(value.wireName());
        }
        return names.toString();
    }
}
