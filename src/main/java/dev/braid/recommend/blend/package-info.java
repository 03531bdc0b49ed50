/**
 * Blending: turning several sources' candidates into one list, in composable steps: normalize and merge ({@link
 * dev.braid.recommend.blend.MergeCandidates}), business-rule filters, diversify ({@link
 * dev.braid.recommend.blend.Mmr}), cap categories ({@link dev.braid.recommend.blend.CapPerCategory}), composed by
 * {@link dev.braid.recommend.blend.Blender}. Imports {@code catalog}, {@code config} and {@code recommend} only.
 */
package dev.braid.recommend.blend;
