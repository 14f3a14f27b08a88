package com.cleversync.sync;

/** An event's sync switch; {@code changed} says whether the call that returned it flipped it. */
public record EventSync(long eventId, long accountId, String eventName, boolean syncEnabled, boolean changed) {
}
