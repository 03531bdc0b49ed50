package dev.braid.experiments;

/** An experiment's variant: what a conversion is attributed to. */
public record Arm(String experiment, String variant) {
}
