package dev.braid.recommend;

import java.util.regex.Pattern;

/** The one name of a downstream: its config key, metric label, log field and JSON key. */
public record SourceId(String name) implements Comparable<SourceId> {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    public SourceId {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("source name must be lower-case letters, digits and dashes, starting with a"
                                               + " letter, at most 40 characters (was '" + name + "')");
        }
    }

    public static SourceId of(String name) {
        return new SourceId(name);
    }

    @Override
    public int compareTo(SourceId other) {
        return name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
