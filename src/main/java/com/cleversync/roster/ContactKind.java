package com.cleversync.roster;

/** The kinds of contact and the access level each gets in the booking product. */
public enum ContactKind {
    TEACHER("HOST"),
    STUDENT("CUSTOMER"),
    PARENT("CUSTOMER"),
    ADMIN("ADMIN");

    private final String accessLevel;

    ContactKind(String accessLevel) {
        this.accessLevel = accessLevel;
    }

    public String accessLevel() {
        return accessLevel;
    }
}
