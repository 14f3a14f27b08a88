package com.cleversync.clever;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The raw bytes of one response body, in an array that is kept and refilled page after page. A reader that owns two
 * of them (the page being read and the page fetched ahead) allocates its page memory once, when the first pages
 * arrive, instead of once per page: a district's pages then leave no garbage behind them. Not thread-safe: one
 * thread fills it, then hands it over.
 */
public final class PageBuffer {

    private static final int INITIAL_BYTES = 64 * 1024;

    private byte[] bytes = new byte[INITIAL_BYTES];
    private int length;

    /** Replaces the content with the whole of {@code in}; an I/O failure is thrown as an {@link UncheckedIOException}. */
    void fill(InputStream in) {
        length = 0;
        try {
            int n;
            while ((n = in.read(bytes, length, bytes.length - length)) >= 0) {
                length += n;
                if (length == bytes.length) {
                    bytes = Arrays.copyOf(bytes, bytes.length * 2);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] bytes() {
        return bytes;
    }

    /** Bytes of the last body read. */
    public int length() {
        return length;
    }

    /** Bytes held (the largest body so far, rounded up to a power of two). */
    public int capacity() {
        return bytes.length;
    }
}
