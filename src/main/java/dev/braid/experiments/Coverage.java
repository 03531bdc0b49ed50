package dev.braid.experiments;

import java.time.LocalDate;

/** How many distinct items a surface served on a day (UTC), across replicas: estimated, by the exposure store. */
@FunctionalInterface
public interface Coverage {

    /**
     * @throws RuntimeException when the store cannot answer; the {@link CoverageGauge} keeps its last value then
     */
    long coverage(String surface, LocalDate day);
}
