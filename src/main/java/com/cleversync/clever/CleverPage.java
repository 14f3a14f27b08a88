package com.cleversync.clever;

import java.util.List;

/**
 * One page of a collection. {@code nextStartingAfter} is the {@code starting_after} cursor of the page's
 * {@code next} link, null on the last page (no {@code next} link, or no data).
 */
public record CleverPage<T>(List<Item<T>> items, String nextStartingAfter) {

    public CleverPage {
        items = List.copyOf(items);
    }

    public boolean last() {
        return nextStartingAfter == null;
    }
}
