package dev.braid.catalog;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An item's embedding: a dense vector from the catalog, compared by cosine similarity to tell how alike two items are.
 * Kept as floats (half the memory of doubles, and the precision a similarity needs), with the vector's length computed
 * once: diversifying a list compares each candidate with many others, and the norms were two thirds of that work.
 */
public final class Embedding {
    /** Longer vectors are a configuration mistake (and would make diversity slow). */
    public static final int MAX_DIMENSIONS = 4096;

    private final float[] values;
    private final double norm;

    @JsonCreator
    public Embedding(@JsonProperty("values") float[] values) {
        if (values == null || values.length == 0 || values.length > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("an embedding has 1.." + MAX_DIMENSIONS + " dimensions");
        }
        this.values = values.clone();
        double squares = 0;
        for (float value : values) {
            squares += (double) value * value;
        }
        this.norm = Math.sqrt(squares);
    }

    @JsonProperty("values")
    public float[] values() {
        return values.clone();
    }

    public int dimensions() {
        return values.length;
    }

    /**
     * Cosine similarity in [-1, 1]; 0 when the dimensions differ (vectors of two models say nothing about each other)
     * or either vector is all zeros.
     */
    public double cosine(Embedding other) {
        if (other.values.length != values.length || norm == 0 || other.norm == 0) {
            return 0;
        }
        float[] mine = values;
        float[] theirs = other.values;
        double dot = 0;
        for (int i = 0; i < mine.length; i++) {
            dot += (double) mine[i] * theirs[i];
        }
        return dot / (norm * other.norm);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Embedding other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Embedding[" + values.length + " dimensions]";
    }
}
