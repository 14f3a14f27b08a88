package com.cleversync.clever;

/**
 * One entry of a page: the mapped record, or, when it could not be mapped, its id (from the record or its
 * {@code uri}; null if neither is readable) and the reason. One bad record never fails a page.
 */
public record Item<T>(String id, T value, String error) {

    public static <T> Item<T> of(String id, T value) {
        return new Item<>(id, value, null);
    }

    public static <T> Item<T> malformed(String id, String error) {
        return new Item<>(id, null, error);
    }

    public boolean malformed() {
        return error != null;
    }
}
