package dev.braid.catalog;

import java.util.Arrays;

/**
 * An item's embedding: a dense vector from the catalog, compared by cosine similarity to tell how alike two items are.
 * Kept as floats: half the memory of doubles, and the precision a similarity needs.
 */
public record Embedding(float[] values) {
    /** Longer vectors are a configuration mistake (and would make diversity slow). */
    public static final int MAX_DIMENSIONS = 4096;

    public Embedding {
        if (values == null || values.length == 0 || values.length > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("an embedding has 1.." + MAX_DIMENSIONS + " dimensions");
        }
        values = values.clone();
    }

    @Override
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
        if (other.values.length != values.length) {
            return 0;
        }
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < values.length; i++) {
            double a = values[i];
            double b = other.values[i];
            dot += a * b;
            normA += a * a;
            normB += b * b;
        }
        return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
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
