package com.cleversync.simulator;

/**
 * Mongo-style 24-hex ObjectIds that ascend in creation order: 4 bytes of seconds, 5 seeded bytes, 3 bytes of
 * counter. The seconds advance with the counter, so ids created later always sort after earlier ones.
 */
final class ObjectIds {

    /** 2025-06-01T00:00:00Z: the simulated district was first synced then. */
    static final long BASE_SECONDS = 1_748_736_000L;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final long machine;
    private long counter;

    ObjectIds(long seed) {
        this.machine = (seed * 0x9E3779B97F4A7C15L >>> 24) & 0xFF_FFFF_FFFFL;
    }

    synchronized String next() {
        long n = ++counter;
        if (n > 0xFF_FFFF) {
            throw new IllegalStateException("too many simulated records");
        }
        char[] c = new char[24];
        hex(c, 0, BASE_SECONDS + n / 64, 8);
        hex(c, 8, machine, 10);
        hex(c, 18, n, 6);
        return new String(c);
    }

    /** When an id was made (the ObjectId timestamp). */
    static long seconds(String id) {
        return Long.parseLong(id.substring(0, 8), 16);
    }

    static boolean looksLikeId(String s) {
        if (s == null || s.length() != 24) {
            return false;
        }
        for (int i = 0; i < 24; i++) {
            char ch = s.charAt(i);
            if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static void hex(char[] out, int at, long value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }
}
