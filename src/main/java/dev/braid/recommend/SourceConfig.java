package dev.braid.recommend;

/** The settings of one configured candidate source; each kind of downstream has its own record. */
public interface SourceConfig {

    SourceId id();
}
