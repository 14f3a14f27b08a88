package com.cleversync.clever;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One list page kept as its raw body in a {@link PageBuffer}, its records mapped one at a time as they are taken.
 * The body was checked whole when it arrived ({@link CleverJson#scanPage}): it is a valid envelope, its size and
 * its {@code next} link are known before the first record is mapped. A page of 10000 records thus never exists as
 * 10000 mapped records: each lives from {@link #next()} to the end of its chunk. Not thread-safe.
 */
public final class LazyPage<T> {

    private final PageBuffer buffer;
    private final Function<JsonNode, T> mapper;
    private final boolean wrapped;
    private final int size;
    private final String nextUri;
    private String nextStartingAfter;
    private JsonParser parser;
    private boolean inData;
    private int taken;

    LazyPage(PageBuffer buffer, Function<JsonNode, T> mapper, boolean wrapped, int size, String nextUri) {
        this.buffer = buffer;
        this.mapper = mapper;
        this.wrapped = wrapped;
        this.size = size;
        this.nextUri = nextUri;
    }

    /** Records on the page, malformed ones included. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The raw {@code next} link, null when the page has none. */
    String nextUri() {
        return nextUri;
    }

    /** The {@code starting_after} cursor of the next page, null on the last page. */
    public String nextStartingAfter() {
        return nextStartingAfter;
    }

    void nextStartingAfter(String cursor) {
        this.nextStartingAfter = cursor;
    }

    public boolean hasNext() {
        return taken < size;
    }

    /** The next record, mapped now; null when every record has been taken. */
    public Item<T> next() {
        if (taken >= size) {
            return null;
        }
        if (parser == null) {
            parser = CleverJson.MAPPER.createParser(buffer.bytes(), 0, buffer.length());
            parser.nextToken();
        }
        while (true) {
            if (inData) {
                if (parser.nextToken() == JsonToken.END_ARRAY) {
                    inData = false;
                    continue;
                }
                JsonNode entry = parser.readValueAsTree();
                taken++;
                if (taken == size) {
                    parser.close();
                }
                return CleverJson.item(entry, mapper, wrapped);
            }
            if (parser.nextToken() != JsonToken.PROPERTY_NAME) {
                throw new IllegalStateException("page body changed after it was checked: " + taken + " of " + size + " records read");
            }
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("data".equals(field) && value == JsonToken.START_ARRAY) {
                inData = true;
            } else {
                parser.skipChildren();
            }
        }
    }

    /** Every record not taken yet, mapped now. */
    public List<Item<T>> rest() {
        List<Item<T>> items = new ArrayList<>(size - taken);
        for (Item<T> item = next(); item != null; item = next()) {
            items.add(item);
        }
        return items;
    }

    /** The buffer the page is read from; refill it only once the page is no longer read. */
    PageBuffer buffer() {
        return buffer;
    }
}
