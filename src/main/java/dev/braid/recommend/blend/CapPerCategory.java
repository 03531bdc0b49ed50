package dev.braid.recommend.blend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reorders a list so that any {@code window} consecutive positions hold at most {@code max} items of one category. Each
 * position takes the best remaining item whose category is under the cap there; items over the cap move down, never
 * out. When no remaining item fits (the list is mostly one category), the cap yields and the best remaining item takes
 * the position. Items without a category (not hydrated, or uncategorized) are never capped.
 */
public final class CapPerCategory {
    private final int max;
    private final int window;

    /**
     * @param max    items of one category per window; 0 turns the cap off
     * @param window the number of consecutive positions the cap applies to
     */
    public CapPerCategory(int max, int window) {
        if (max < 0 || window < 1) {
            throw new IllegalArgumentException("max must be >= 0 and window >= 1 (were " + max + ", " + window + ")");
        }
        this.max = max;
        this.window = window;
    }

    /** The same items, reordered where the cap requires; best first in, best first out. */
    public List<BlendCandidate> apply(List<BlendCandidate> ranked) {
        int n = ranked.size();
        if (max == 0 || n <= max) {
            return new ArrayList<>(ranked);
        }
        BlendCandidate[] pending = ranked.toArray(BlendCandidate[]::new);
        String[] placedCategory = new String[n];
        Map<String, int[]> inWindow = new HashMap<>(); // per category: its items among the window's earlier positions
        List<BlendCandidate> result = new ArrayList<>(n);
        int first = 0; // the first index still pending
        for (int position = 0; position < n; position++) {
            int choice = -1;
            for (int i = first; i < n; i++) {
                if (pending[i] != null && fits(pending[i].category(), inWindow)) {
                    choice = i;
                    break;
                }
            }
            if (choice < 0) {
                choice = first; // nothing fits: the cap yields to the best remaining item
            }
            BlendCandidate chosen = pending[choice];
            pending[choice] = null;
            while (first < n && pending[first] == null) {
                first++;
            }
            result.add(chosen);
            String category = chosen.category();
            placedCategory[position] = category;
            if (category != null) {
                inWindow.computeIfAbsent(category, key -> new int[1])[0]++;
            }
            int leaving = position - window + 1; // no longer in the window of the next position
            if (leaving >= 0 && placedCategory[leaving] != null) {
                inWindow.get(placedCategory[leaving])[0]--;
            }
        }
        return result;
    }

    private boolean fits(String category, Map<String, int[]> inWindow) {
        if (category == null) {
            return true;
        }
        int[] count = inWindow.get(category);
        return count == null || count[0] < max;
    }
}
