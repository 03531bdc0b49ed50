/**
 * Blending: turning several sources' candidates into one list (normalize, merge, dedup, filter, diversify, cap).
 * Imports {@code recommend} only.
 */
package dev.braid.recommend.blend;
