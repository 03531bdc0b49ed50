package dev.braid.experiments;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recommendation ids: 128 random bits in hex, followed by the experiment and variant when the answer was served in one
 * ({@code 3f2a….blend-v2.treatment}). An event that names the id is attributed to the variant from the id alone: no
 * lookup, no state shared between replicas. The names in an id are only trusted once the {@link Assigner} knows them.
 */
public final class RecommendationIds {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}(?:\\.([a-z0-9-]{1,40})\\.([a-z0-9-]{1,40}))?");
    private static final HexFormat HEX = HexFormat.of();

    private final RandomGenerator random;

    /** Ids from a {@link SecureRandom}: unique across replicas without coordination, and not guessable. */
    public RecommendationIds() {
        this(new SecureRandom());
    }

    public RecommendationIds(RandomGenerator random) {
        this.random = random;
    }

    /** A new id, carrying the assignment's experiment and variant when there is one. */
    public String next(Optional<Assignment> assignment) {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        String id = HEX.formatHex(bits);
        return assignment.map(a -> id + "." + a.experiment() + "." + a.variant()).orElse(id);
    }

    /** The arm an id names; empty for ids without one, and for anything that is not an id of this form. */
    public static Optional<Arm> parse(String id) {
        if (id == null || id.length() > 32 + 2 + 2 * 40) {
            return Optional.empty();
        }
        Matcher matcher = ID.matcher(id);
        if (!matcher.matches() || matcher.group(1) == null) {
            return Optional.empty();
        }
        return Optional.of(new Arm(matcher.group(1), matcher.group(2)));
    }
}
