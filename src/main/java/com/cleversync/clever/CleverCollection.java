package com.cleversync.clever;

import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A paged Clever list endpoint; holds no data itself. Pages are keyset pages in ascending id order: a page is
 * asked for with the {@code starting_after} cursor taken from the previous page's {@code next} link, so any
 * position can be resumed from the id of the last record processed.
 */
public final class CleverCollection<T> {

    private final CleverHttp http;
    private final CleverCredentials credentials;
    private final String kind;
    private final String path;
    private final Map<String, String> params;
    private final Function<JsonNode, T> mapper;

    CleverCollection(CleverHttp http, CleverCredentials credentials, String kind, String path,
                     Map<String, String> params, Function<JsonNode, T> mapper) {
        this.http = http;
        this.credentials = credentials;
        this.kind = kind;
        this.path = path;
        this.params = new LinkedHashMap<>(params);
        this.mapper = mapper;
    }

    /** E.g. {@code schools/58da8a43cc70ab00017a1a87/sections} or {@code users?role=contact}. */
    public String describe() {
        return path + (params.isEmpty() ? "" : "?" + query(params));
    }

    /** Metrics tag of the collection: schools, terms, sections, users or events. */
    public String kind() {
        return kind;
    }

    /** One request: the page after {@code startingAfter} (null = the first page), with clever.page-limit records at most. */
    public CleverPage<T> page(String startingAfter) {
        LazyPage<T> page = fetch(startingAfter, new PageBuffer());
        return new CleverPage<>(page.rest(), page.nextStartingAfter());
    }

    /**
     * One request, as {@link #page}, into {@code buffer}: the body is read and checked whole, its records are mapped
     * as the returned page hands them out. The buffer belongs to the page until its last record is taken.
     */
    public LazyPage<T> fetch(String startingAfter, PageBuffer buffer) {
        Map<String, String> q = new LinkedHashMap<>(params);
        q.put("limit", Integer.toString(http.properties().pageLimit()));
        if (startingAfter != null) {
            q.put("starting_after", startingAfter);
        }
        String versioned = "/" + http.properties().api().version() + "/" + path + "?" + query(q);
        URI uri = URI.create(http.properties().api().baseUrl() + versioned);
        CleverHttp.Call call = new CleverHttp.Call(kind, "GET " + versioned, uri, "Bearer " + credentials.token(),
                credentials.token(), credentials.district(), false);
        LazyPage<T> page = http.get(call, body -> {
            buffer.fill(body);
            return CleverJson.scanPage(buffer, mapper, true);
        });
        String next = null;
        if (!page.isEmpty() && page.nextUri() != null) {
            next = CleverJson.startingAfter(http.properties().api().baseUrl(), page.nextUri());
            if (next == null) {
                // A next link without a cursor: Clever's cursor is always the last id of the page.
                next = lastId(buffer);
            }
            if (next == null || next.equals(startingAfter)) {
                throw new CleverApiException(200, false, "Clever's next link on " + call.describe()
                        + " does not move past starting_after=" + startingAfter);
            }
        }
        page.nextStartingAfter(next);
        return page;
    }

    /** The id of a checked page's last entry (mapped with a mapper that maps nothing). */
    private static String lastId(PageBuffer buffer) {
        List<Item<Boolean>> ids = CleverJson.scanPage(buffer, record -> Boolean.TRUE, true).rest();
        return ids.isEmpty() ? null : ids.getLast().id();
    }

    /** Every entry, page by page as the stream is consumed; malformed records included as such. */
    public Stream<Item<T>> items() {
        Iterator<Item<T>> it = new Iterator<>() {
            private Iterator<Item<T>> current = java.util.Collections.emptyIterator();
            private String cursor;
            private boolean more = true;

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && more) {
                    CleverPage<T> page = page(cursor);
                    current = page.items().iterator();
                    cursor = page.nextStartingAfter();
                    more = cursor != null;
                }
                return current.hasNext();
            }

            @Override
            public Item<T> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * Every record, paged lazily. A malformed record throws {@link MalformedRecordException}; use
     * {@link #items()} to see and skip them instead.
     */
    public Stream<T> stream() {
        return items().map(item -> {
            if (item.malformed()) {
                throw new MalformedRecordException(describe(), item.id(), item.error());
            }
            return item.value();
        });
    }

    static String query(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }

    @Override
    public String toString() {
        return "CleverCollection[" + describe() + ", district=" + credentials.district() + "]";
    }
}
