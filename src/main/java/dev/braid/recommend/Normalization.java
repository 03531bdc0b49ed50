package dev.braid.recommend;

import dev.braid.config.Rule;

/**
 * How a surface puts each source's scores on one scale before weighting them: the setting, not the arithmetic (which
 * {@code recommend.blend.Normalizer} does).
 *
 * @param method the normalization ({@code normalization}: {@code rrf}, {@code min-max} or {@code z-score})
 * @param rrfK   reciprocal rank fusion's smoothing constant, at least 1; used by {@code rrf} only
 */
public record Normalization(Method method, int rrfK) {
    /** The RRF paper's k, and the usual choice. */
    public static final int DEFAULT_RRF_K = 60;
    public static final Normalization DEFAULT = new Normalization(Method.RRF, DEFAULT_RRF_K);

    public enum Method {
        /** Reciprocal rank fusion: positions only, so sources whose scores mean different things blend uncalibrated. */
        RRF("rrf"),
        /** Scores scaled to 0..1 within each source's answer. */
        MIN_MAX("min-max"),
        /** Standard scores mapped through the logistic function. */
        Z_SCORE("z-score");

        private final String wireName;

        Method(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /**
         * The method named {@code name} in configuration.
         *
         * @throws IllegalArgumentException for an unknown name
         */
        public static Method parse(String name) {
            String trimmed = name == null ? "" : name.trim();
            for (Method method : values()) {
                if (method.wireName.equals(trimmed)) {
                    return method;
                }
            }
            throw new IllegalArgumentException("unknown normalization '" + name + "'; known: min-max, z-score, rrf");
        }
    }

    public Normalization {
        Rule.check(method != null, "normalization", "must be given");
        Rule.atLeast("rrf-k", rrfK, 1);
    }

    /** The normalization named {@code name}, with {@code rrfK} for {@code rrf}. */
    public static Normalization of(String name, int rrfK) {
        return new Normalization(Method.parse(name), rrfK);
    }
}
