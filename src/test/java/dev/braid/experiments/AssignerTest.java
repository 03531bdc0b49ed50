package dev.braid.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AssignerTest {
    private static final int UNITS = 100_000;
    private static final List<String> IDS = ids();

    @Test
    void theSameUnitGetsTheSameAnswerEveryTimeAndFromAFreshAssigner() {
        Assigner first = new Assigner(config("salt-1", 0.5, 1, 3));
        Assigner fresh = new Assigner(config("salt-1", 0.5, 1, 3));

        for (String id : IDS) {
            Optional<Assignment> once = first.assign("home", id);
            assertThat(first.assign("home", id)).isEqualTo(once);
            assertThat(fresh.assign("home", id)).isEqualTo(once);
        }
    }

    @Test
    void bucketsAreSha256OfSaltAndUnitSoEveryJvmAgrees() {
        // Hand-checked with Python: int.from_bytes(hashlib.sha256(b"blend-v2-2026-11:u1").digest()[:8], "big") % 10000
        assertThat(Assigner.bucket("blend-v2-2026-11:u1")).isEqualTo(1483);         // first 8 bytes 8b03690c6be8b35b
        assertThat(Assigner.bucket("blend-v2-2026-11:variant:u1")).isEqualTo(1335); // 415a95a311b7a747
        // So with the shipped file (traffic 0.5 = buckets 0..4999; control 0..4999, treatment 5000..9999) u1 is in control.
        Assigner shipped = new Assigner(ExperimentsConfig.load(ExperimentsConfig.DEFAULT_FILE));
        assertThat(shipped.assign("home", "u1")).map(Assignment::variant).contains("control");
    }

    @Test
    void trafficAndVariantSharesHoldWithinFourStandardDeviations() {
        Assigner assigner = new Assigner(config("salt-1", 0.5, 1, 3));
        int in = 0;
        int treatment = 0;
        for (String id : IDS) {
            Optional<Assignment> assignment = assigner.assign("home", id);
            if (assignment.isPresent()) {
                in++;
                treatment += assignment.get().variant().equals("treatment") ? 1 : 0;
            }
        }
        // In: binomial(100,000, 0.5): mean 50,000, sd = sqrt(100,000 * 0.5 * 0.5) = 158.1, 4 sd = 632.5.
        assertThat(Math.abs(in - 50_000)).isLessThanOrEqualTo(632);
        // Treatment among those in: share 3 of 1 + 3 = 0.75; sd = sqrt(in * 0.75 * 0.25), about 96.8 for 50,000 in.
        double sd = Math.sqrt(in * 0.75 * 0.25);
        assertThat(Math.abs(treatment - 0.75 * in)).isLessThanOrEqualTo(4 * sd);
    }

    @Test
    void aNewSaltReshufflesUnits() {
        Assigner before = new Assigner(config("salt-1", 0.5, 1, 1));
        Assigner after = new Assigner(config("salt-2", 0.5, 1, 1));
        int movedBucket = 0;
        int sameMembership = 0;
        for (String id : IDS) {
            movedBucket += Assigner.bucket("salt-1:" + id) != Assigner.bucket("salt-2:" + id) ? 1 : 0;
            sameMembership += before.assign("home", id).isPresent() == after.assign("home", id).isPresent() ? 1 : 0;
        }
        // Independent buckets coincide with probability 1/10,000: about 10 of 100,000; 4 sd = 4 * sqrt(10) = 12.6 more.
        assertThat(movedBucket).isGreaterThanOrEqualTo(UNITS - 23);
        // In or out under each salt independently: the same with probability 0.5, sd = 158.1 again.
        assertThat(Math.abs(sameMembership - 50_000)).isLessThanOrEqualTo(632);
    }

    @Test
    void raisingTheTrafficOnlyAddsUnitsAndNobodyChangesVariant() {
        Assigner half = new Assigner(config("salt-1", 0.5, 1, 1));
        Assigner most = new Assigner(config("salt-1", 0.8, 1, 1));
        int added = 0;
        for (String id : IDS) {
            Optional<Assignment> before = half.assign("home", id);
            Optional<Assignment> after = most.assign("home", id);
            if (before.isPresent()) {
                assertThat(after).isEqualTo(before);
            } else if (after.isPresent()) {
                added++;
            }
        }
        // 30 % of the units join: 30,000, sd = sqrt(100,000 * 0.3 * 0.7) = 144.9, 4 sd = 579.7.
        assertThat(Math.abs(added - 30_000)).isLessThanOrEqualTo(580);
    }

    @Test
    void theVariantsOrderInTheConfigDoesNotMatter() {
        Variant control = new Variant("control", 1, VariantParams.none());
        Variant treatment = new Variant("treatment", 1, VariantParams.none());
        Assigner listed = new Assigner(new ExperimentsConfig(List.of(
                new Experiment("e", true, Set.of("home"), "s", 1.0, List.of(control, treatment)))));
        Assigner reversed = new Assigner(new ExperimentsConfig(List.of(
                new Experiment("e", true, Set.of("home"), "s", 1.0, List.of(treatment, control)))));

        for (String id : IDS.subList(0, 1_000)) {
            assertThat(reversed.assign("home", id)).isEqualTo(listed.assign("home", id));
        }
    }

    @Test
    void noExperimentNoUnitOrADisabledOneMeansNoAssignment() {
        Assigner assigner = new Assigner(config("salt-1", 1.0, 1, 1));
        Assigner disabled = new Assigner(new ExperimentsConfig(List.of(new Experiment(
                "blend", false, Set.of("home"), "salt-1", 1.0, config("salt-1", 1.0, 1, 1).experiments().getFirst().variants()))));

        assertThat(assigner.assign("home", "u1")).isPresent();
        assertThat(assigner.assign("pdp", "u1")).isEmpty();
        assertThat(assigner.assign("home", null)).isEmpty();
        assertThat(assigner.assign("home", "")).isEmpty();
        assertThat(disabled.assign("home", "u1")).isEmpty();
        assertThat(new Assigner(ExperimentsConfig.none()).assign("home", "u1")).isEmpty();
        assertThat(new Assigner(config("salt-1", 0.0, 1, 1)).assign("home", "u1")).isEmpty();
    }

    @Test
    void theAssignmentCarriesTheVariantsParams() {
        Assigner assigner = new Assigner(config("salt-1", 1.0, 1, 1));
        for (String id : IDS.subList(0, 100)) {
            Assignment assignment = assigner.assign("home", id).orElseThrow();
            assertThat(assignment.experiment()).isEqualTo("blend");
            assertThat(assignment.params().mmrLambda()).isEqualTo(assignment.variant().equals("treatment") ? 0.3 : null);
        }
    }

    @Test
    void knowsConfiguredArmsEvenOfDisabledExperimentsAndNothingElse() {
        Variant a = new Variant("a", 1, VariantParams.none());
        Variant b = new Variant("b", 1, VariantParams.none());
        Assigner assigner = new Assigner(new ExperimentsConfig(List.of(
                new Experiment("on", true, Set.of("home"), "s", 1.0, List.of(a, b)),
                new Experiment("off", false, Set.of("pdp"), "s", 1.0, List.of(a, b)))));

        assertThat(assigner.knows("on", "a")).isTrue();
        assertThat(assigner.knows("off", "b")).isTrue();
        assertThat(assigner.knows("on", "c")).isFalse();
        assertThat(assigner.knows("forged", "a")).isFalse();
        assertThat(assigner.arms()).containsExactlyInAnyOrder(new Arm("on", "a"), new Arm("on", "b"), new Arm("off", "a"),
                                                              new Arm("off", "b"));
    }

    /** One experiment "blend" on home: control (share c) and treatment (share t, mmr-lambda 0.3). */
    private static ExperimentsConfig config(String salt, double traffic, double c, double t) {
        return new ExperimentsConfig(List.of(new Experiment("blend", true, Set.of("home"), salt, traffic, List.of(
                new Variant("control", c, VariantParams.none()),
                new Variant("treatment", t, new VariantParams(null, null, 0.3, Map.of(), Map.of(), Map.of()))))));
    }

    private static List<String> ids() {
        List<String> ids = new ArrayList<>(UNITS);
        for (int i = 0; i < UNITS; i++) {
            // Both kinds of unit: user ids and anonymous visitors' ids.
            ids.add(i % 2 == 0 ? "u" + i : "anon-" + Integer.toHexString(i * 7919));
        }
        return List.copyOf(ids);
    }
}
