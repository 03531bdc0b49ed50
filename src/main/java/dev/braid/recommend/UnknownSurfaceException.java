package dev.braid.recommend;

import java.util.Collection;

/** A request named a surface that no plan is configured for. */
public final class UnknownSurfaceException extends RuntimeException {
    public UnknownSurfaceException(String surface, Collection<String> known) {
        super("unknown surface '" + surface + "'; configured surfaces: " + String.join(", ", known));
    }
}
