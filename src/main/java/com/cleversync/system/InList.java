package com.cleversync.system;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Values bound to an SQL {@code IN (:ids)} list go in slices of at most {@value #MAX}: one statement per slice
 * keeps each statement quick to parse and plan, however many values an import has.
 */
public final class InList {

    public static final int MAX = 1000;

    private InList() {
    }

    /** The values in order, in consecutive slices of at most {@value #MAX}; none for no values. */
    public static <T> List<List<T>> slices(Collection<? extends T> values) {
        List<T> all = new ArrayList<>(values);
        List<List<T>> slices = new ArrayList<>((all.size() + MAX - 1) / MAX);
        for (int from = 0; from < all.size(); from += MAX) {
            slices.add(all.subList(from, Math.min(all.size(), from + MAX)));
        }
        return slices;
    }
}
