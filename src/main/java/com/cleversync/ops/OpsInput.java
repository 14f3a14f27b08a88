package com.cleversync.ops;

import com.cleversync.system.BadInputException;

/** Ids as typed by a caller: anything but a positive number is a clear 400, never a 500. */
public final class OpsInput {

    private OpsInput() {
    }

    public static long id(String raw, String what) {
        if (raw == null || raw.isBlank()) {
            throw new BadInputException(what + " id is required");
        }
        String s = raw.strip();
        if (!s.matches("-?[0-9]+")) {
            throw new BadInputException(what + " id must be a positive number, got '" + abbreviate(s) + "'");
        }
        long id;
        try {
            id = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new BadInputException(what + " id is out of range: " + s);
        }
        if (id <= 0) {
            throw new BadInputException(what + " id must be a positive number, got " + id);
        }
        return id;
    }

    public static Long optionalId(String raw, String what) {
        return raw == null || raw.isBlank() ? null : id(raw, what);
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
