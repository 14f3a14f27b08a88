package com.cleversync.contacts;

import com.cleversync.system.BadInputException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Contact access levels, highest first: deleting at a level removes it and every level below. */
public enum ContactLevel {
    ADMIN, EVENT_ADMIN, HOST, CUSTOMER;

    /** This level and every level below it, highest first. */
    public List<ContactLevel> andBelow() {
        return Arrays.stream(values()).filter(l -> l.ordinal() >= ordinal()).toList();
    }

    public static ContactLevel parse(String value) {
        if (value != null) {
            String v = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (ContactLevel l : values()) {
                if (l.name().equals(v)) {
                    return l;
                }
            }
        }
        throw new BadInputException("unknown contact level '" + value + "' (one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
    }
}
