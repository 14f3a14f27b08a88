package com.cleversync.roster;

/** A 64-bit FNV-1a fingerprint of a row's fields, to tell unchanged rows without reading them back. */
public final class RowHash {

    private RowHash() {
    }

    public static long of(String... fields) {
        long h = 0xcbf29ce484222325L;
        for (String field : fields) {
            String s = field == null ? "\u0000" : field;
            for (int i = 0; i < s.length(); i++) {
                h ^= s.charAt(i);
                h *= 0x100000001b3L;
            }
            h ^= 0x1f;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
