package dev.braid.experiments;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Assigns units (a user id, or an anonymous visitor's id) to variants, the same way on every replica, after every restart
 * and in every JVM: nothing is stored, the answer is a hash of the experiment's salt and the unit.
 *
 * <p>Two independent hashes decide: {@code SHA-256(salt + ":" + unit)} puts the unit in one of {@value #BUCKETS} traffic
 * buckets, and it is in the experiment when its bucket is below {@code traffic · BUCKETS}; {@code SHA-256(salt +
 * ":variant:" + unit)} then picks the variant by share, the variants taken in the order of their names. So raising the
 * traffic only adds units, and those already in keep their variant; a new salt reshuffles both.
 */
public final class Assigner {
    /** The resolution of traffic and shares: 0.01 %. */
    public static final int BUCKETS = 10_000;

    /** An experiment ready to assign: its traffic threshold and each variant's upper bucket bound. */
    private record Plan(Experiment experiment, List<Variant> variants, int trafficBuckets, int[] upperBounds) {
        Variant variant(int bucket) {
            for (int i = 0; i < upperBounds.length; i++) {
                if (bucket < upperBounds[i]) {
                    return variants.get(i);
                }
            }
            return variants.getLast();
        }
    }

    private final Map<String, Plan> bySurface = new HashMap<>();
    private final Set<Arm> arms = new HashSet<>();

    public Assigner(ExperimentsConfig config) {
        for (Experiment experiment : config.experiments()) {
            experiment.variants().forEach(variant -> arms.add(new Arm(experiment.id(), variant.name())));
            if (experiment.enabled()) {
                Plan plan = plan(experiment);
                experiment.surfaces().forEach(surface -> bySurface.put(surface, plan));
            }
        }
    }

    /** Whether an enabled experiment runs on {@code surface}. */
    public boolean running(String surface) {
        return bySurface.containsKey(surface);
    }

    /** The assignment of {@code unit} on {@code surface}; empty without an experiment there, or outside its traffic. */
    public Optional<Assignment> assign(String surface, String unit) {
        if (surface == null || unit == null || unit.isEmpty()) {
            return Optional.empty();
        }
        Plan plan = bySurface.get(surface);
        if (plan == null) {
            return Optional.empty();
        }
        String salt = plan.experiment().salt();
        if (bucket(salt + ":" + unit) >= plan.trafficBuckets()) {
            return Optional.empty();
        }
        Variant variant = plan.variant(bucket(salt + ":variant:" + unit));
        return Optional.of(new Assignment(plan.experiment().id(), variant.name(), variant.params()));
    }

    /**
     * Whether {@code experiment} has a variant {@code variant} in the configuration, enabled or not: conversions of a
     * recommendation served before its experiment was turned off still count; names from a forged id do not.
     */
    public boolean knows(String experiment, String variant) {
        return arms.contains(new Arm(experiment, variant));
    }

    /** Every arm of every configured experiment, for creating their metric series up front. */
    public Set<Arm> arms() {
        return Set.copyOf(arms);
    }

    /** The bucket of {@code key}: the first 8 bytes of its SHA-256 as an unsigned number, modulo {@link #BUCKETS}. */
    static int bucket(String key) {
        byte[] digest = sha256().digest(key.getBytes(StandardCharsets.UTF_8));
        // 2^64 mod 10,000 buckets are one larger than the rest: a bias of 10^-16, far below any sampling error.
        return (int) Long.remainderUnsigned(ByteBuffer.wrap(digest, 0, Long.BYTES).getLong(), BUCKETS);
    }

    private static Plan plan(Experiment experiment) {
        // By name, not by the order given: the buckets of a variant must not depend on how its config was listed or read.
        List<Variant> variants = experiment.variants().stream().sorted(Comparator.comparing(Variant::name)).toList();
        double total = variants.stream().mapToDouble(Variant::share).sum();
        int[] upperBounds = new int[variants.size()];
        double cumulative = 0;
        for (int i = 0; i < variants.size(); i++) {
            cumulative += variants.get(i).share();
            upperBounds[i] = (int) Math.round(cumulative / total * BUCKETS);
        }
        upperBounds[upperBounds.length - 1] = BUCKETS;
        return new Plan(experiment, variants, (int) Math.round(experiment.traffic() * BUCKETS), upperBounds);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
