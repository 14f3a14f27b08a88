package com.cleversync.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The data the simulator serves: one district with its schools, terms, sections, users and Events API feed.
 * Records are immutable and kept in id order (Clever pages by ascending ObjectId); JSON is rendered per request.
 * Reads are safe while {@link Mutations} change the district. Every list returned is a snapshot.
 */
public final class SimulatedDistrict {

    /** Clever keeps events for 30 days. */
    static final Duration EVENT_RETENTION = Duration.ofDays(30);

    private final String id;
    private final String name;
    final ObjectIds ids;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private final TreeMap<String, SimSchool> schools = new TreeMap<>();
    private final TreeMap<String, SimTerm> terms = new TreeMap<>();
    private final TreeMap<String, SimSection> sections = new TreeMap<>();
    private final Map<String, TreeMap<String, SimSection>> sectionsBySchool = new HashMap<>();
    private final TreeMap<String, SimUser> users = new TreeMap<>();
    private final Map<String, TreeMap<String, SimUser>> usersByRole = new HashMap<>();
    /** Students, teachers and staff of each school (the users {@code /schools/{id}/users} serves). */
    private final Map<String, TreeMap<String, SimUser>> usersBySchool = new HashMap<>();
    private final TreeMap<String, SimEvent> events = new TreeMap<>();
    /** Records changed after generation; the others were last modified when created. */
    private final Map<String, Instant> lastModified = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Supplier<Instant> clock = Instant::now;

    SimulatedDistrict(String id, String name, ObjectIds ids) {
        this.id = id;
        this.name = name;
        this.ids = ids;
        for (String role : SimUser.ROLES) {
            usersByRole.put(role, new TreeMap<>());
        }
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** When the district record was created (its ObjectId time). */
    public Instant created() {
        return Instant.ofEpochSecond(ObjectIds.seconds(id));
    }

    public List<SimSchool> schools() {
        return read(() -> List.copyOf(schools.values()));
    }

    public Optional<SimSchool> school(String schoolId) {
        return read(() -> Optional.ofNullable(schools.get(schoolId)));
    }

    /** Every term of the district, in id order. */
    public List<SimTerm> terms() {
        return read(() -> List.copyOf(terms.values()));
    }

    public Optional<SimTerm> term(String termId) {
        return read(() -> Optional.ofNullable(terms.get(termId)));
    }

    /** The terms the school's sections use, in id order (what {@code /schools/{id}/terms} serves). */
    public List<SimTerm> termsOf(String schoolId) {
        return read(() -> List.copyOf(termsOfLocked(schoolId).values()));
    }

    public List<SimSection> sections() {
        return read(() -> List.copyOf(sections.values()));
    }

    public Optional<SimSection> section(String sectionId) {
        return read(() -> Optional.ofNullable(sections.get(sectionId)));
    }

    public List<SimSection> sectionsOf(String schoolId) {
        return read(() -> {
            TreeMap<String, SimSection> of = sectionsBySchool.get(schoolId);
            return of == null ? List.<SimSection>of() : List.copyOf(of.values());
        });
    }

    public Optional<SimUser> user(String userId) {
        return read(() -> Optional.ofNullable(users.get(userId)));
    }

    /** Every user, in id order. */
    public List<SimUser> users() {
        return read(() -> List.copyOf(users.values()));
    }

    /** Users holding {@code role}: student, teacher, contact, staff or district_admin. */
    public List<SimUser> users(String role) {
        return read(() -> List.copyOf(roleMap(role).values()));
    }

    /** The Events API feed still retained, oldest first. */
    public List<SimEvent> events() {
        return read(() -> List.copyOf(liveEvents().values()));
    }

    /** When a record was last changed. */
    public Instant lastModified(String recordId) {
        Instant changed = lastModified.get(recordId);
        return changed != null ? changed : Instant.ofEpochSecond(ObjectIds.seconds(recordId));
    }

    /** When a record was changed after generation, or null. */
    Instant changedAt(String recordId) {
        return lastModified.isEmpty() ? null : lastModified.get(recordId);
    }

    // ---- serving -------------------------------------------------------------------------------------------

    /** One page of a keyset-paged list, plus whether records exist past either end. */
    record Page<T>(List<T> items, boolean moreAfter, boolean moreBefore) {
    }

    Page<SimSchool> schoolPage(Cursor cursor) {
        return read(() -> page(schools, x -> true, cursor));
    }

    Page<SimTerm> termPage(Cursor cursor) {
        return read(() -> page(terms, x -> true, cursor));
    }

    Page<SimTerm> schoolTermPage(String schoolId, Cursor cursor) {
        return read(() -> page(termsOfLocked(schoolId), x -> true, cursor));
    }

    Page<SimSection> sectionPage(String schoolId, Cursor cursor) {
        return read(() -> {
            NavigableMap<String, SimSection> map = schoolId == null ? sections
                    : sectionsBySchool.getOrDefault(schoolId, new TreeMap<>());
            return page(map, x -> true, cursor);
        });
    }

    Page<SimUser> userPage(String role, Cursor cursor) {
        return read(() -> page(role == null ? users : roleMap(role), x -> true, cursor));
    }

    Page<SimUser> schoolUserPage(String schoolId, String role, Cursor cursor) {
        return read(() -> {
            NavigableMap<String, SimUser> map = usersBySchool.getOrDefault(schoolId, new TreeMap<>());
            Predicate<SimUser> filter = role == null ? x -> true : u -> u.has(role);
            return page(map, filter, cursor);
        });
    }

    Page<SimEvent> eventPage(Set<String> recordTypes, String schoolId, Cursor cursor) {
        return read(() -> {
            Predicate<SimEvent> filter = e -> (recordTypes.isEmpty() || recordTypes.contains(e.recordType()))
                    && (schoolId == null || e.schoolIds().contains(schoolId));
            return page(liveEvents(), filter, cursor);
        });
    }

    Optional<SimEvent> event(String eventId) {
        return read(() -> Optional.ofNullable(liveEvents().get(eventId)));
    }

    /** Where a page starts: after {@code startingAfter}, before {@code endingBefore}, or at the beginning. */
    record Cursor(String startingAfter, String endingBefore, int limit) {
    }

    static <T> Page<T> page(NavigableMap<String, T> map, Predicate<T> filter, Cursor cursor) {
        int limit = cursor.limit();
        if (cursor.endingBefore() != null) {
            NavigableMap<String, T> before = "last".equals(cursor.endingBefore()) ? map.descendingMap()
                    : map.headMap(cursor.endingBefore(), false).descendingMap();
            List<T> items = new ArrayList<>(Math.min(limit, 1024));
            boolean more = false;
            for (T value : before.values()) {
                if (!filter.test(value)) {
                    continue;
                }
                if (items.size() == limit) {
                    more = true;
                    break;
                }
                items.add(value);
            }
            Collections.reverse(items);
            boolean after = !items.isEmpty() && !"last".equals(cursor.endingBefore());
            return new Page<>(items, after, more);
        }
        NavigableMap<String, T> from = cursor.startingAfter() == null ? map
                : map.tailMap(cursor.startingAfter(), false);
        List<T> items = new ArrayList<>(Math.min(limit, 1024));
        boolean more = false;
        for (T value : from.values()) {
            if (!filter.test(value)) {
                continue;
            }
            if (items.size() == limit) {
                more = true;
                break;
            }
            items.add(value);
        }
        return new Page<>(items, more, cursor.startingAfter() != null && !items.isEmpty());
    }

    // ---- changes (generator and Mutations) --------------------------------------------------------------------

    void putSchool(SimSchool school) {
        write(() -> {
            schools.put(school.id(), school);
            sectionsBySchool.putIfAbsent(school.id(), new TreeMap<>());
            usersBySchool.putIfAbsent(school.id(), new TreeMap<>());
        });
    }

    void putTerm(SimTerm term) {
        write(() -> terms.put(term.id(), term));
    }

    SimTerm removeTerm(String termId) {
        return write(() -> terms.remove(termId));
    }

    /** Adds or replaces a section; returns the replaced one, or null. */
    SimSection putSection(SimSection section) {
        return write(() -> {
            SimSection old = sections.put(section.id(), section);
            if (old != null && !old.schoolId().equals(section.schoolId())) {
                sectionsBySchool.get(old.schoolId()).remove(old.id());
            }
            sectionsBySchool.computeIfAbsent(section.schoolId(), k -> new TreeMap<>()).put(section.id(), section);
            return old;
        });
    }

    SimSection removeSection(String sectionId) {
        return write(() -> {
            SimSection old = sections.remove(sectionId);
            if (old != null) {
                sectionsBySchool.get(old.schoolId()).remove(sectionId);
            }
            return old;
        });
    }

    /** Adds or replaces a user and keeps the role and school indexes current; returns the replaced one, or null. */
    SimUser putUser(SimUser user) {
        return write(() -> {
            SimUser old = users.put(user.id(), user);
            if (old != null) {
                unindex(old);
            }
            index(user);
            return old;
        });
    }

    SimUser removeUser(String userId) {
        return write(() -> {
            SimUser old = users.remove(userId);
            if (old != null) {
                unindex(old);
            }
            return old;
        });
    }

    void touch(String recordId) {
        lastModified.put(recordId, clock.get());
    }

    /** Appends an Events API entry for a record that changed. */
    SimEvent addEvent(String type, Object object, Map<String, Object> previous) {
        return write(() -> {
            SimEvent event = new SimEvent(ids.next(), type, clock.get(), object,
                    previous == null ? Map.of() : Collections.unmodifiableMap(previous), schoolsOf(object));
            events.put(event.id(), event);
            liveEvents();
            return event;
        });
    }

    void clock(Supplier<Instant> now) {
        this.clock = Objects.requireNonNull(now);
    }

    Instant now() {
        return clock.get();
    }

    <T> T write(Supplier<T> change) {
        lock.writeLock().lock();
        try {
            return change.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    void write(Runnable change) {
        lock.writeLock().lock();
        try {
            change.run();
        } finally {
            lock.writeLock().unlock();
        }
    }

    <T> T read(Supplier<T> query) {
        lock.readLock().lock();
        try {
            return query.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- internals --------------------------------------------------------------------------------------------

    private NavigableMap<String, SimUser> roleMap(String role) {
        TreeMap<String, SimUser> map = usersByRole.get(role);
        if (map == null) {
            throw new IllegalArgumentException("unknown role: " + role);
        }
        return map;
    }

    private TreeMap<String, SimTerm> termsOfLocked(String schoolId) {
        TreeMap<String, SimTerm> used = new TreeMap<>();
        TreeMap<String, SimSection> of = sectionsBySchool.get(schoolId);
        if (of != null) {
            for (SimSection section : of.values()) {
                if (section.termId() != null && !used.containsKey(section.termId())) {
                    SimTerm term = terms.get(section.termId());
                    if (term != null) {
                        used.put(term.id(), term);
                    }
                }
            }
        }
        return used;
    }

    /** Events past the retention window are dropped from the oldest end, as Clever does. */
    private NavigableMap<String, SimEvent> liveEvents() {
        Instant cutoff = clock.get().minus(EVENT_RETENTION);
        if (events.isEmpty() || !events.firstEntry().getValue().created().isBefore(cutoff)) {
            return events;
        }
        if (lock.isWriteLockedByCurrentThread()) {
            events.headMap(firstLive(cutoff), false).clear();
            return events;
        }
        return events.tailMap(firstLive(cutoff), true);
    }

    private String firstLive(Instant cutoff) {
        for (SimEvent e : events.values()) {
            if (!e.created().isBefore(cutoff)) {
                return e.id();
            }
        }
        return "g";
    }

    private Set<String> schoolsOf(Object object) {
        Set<String> out = new LinkedHashSet<>();
        if (object instanceof SimSection s) {
            out.add(s.schoolId());
        } else if (object instanceof SimUser u) {
            out.addAll(u.schoolIds());
            for (SimRelationship r : u.relationships()) {
                SimUser student = users.get(r.studentId());
                if (student != null) {
                    out.addAll(student.schoolIds());
                }
            }
        }
        return Set.copyOf(out);
    }

    private void index(SimUser user) {
        for (String role : user.roles()) {
            roleMap(role).put(user.id(), user);
        }
        if (user.has(SimUser.STUDENT) || user.has(SimUser.TEACHER) || user.has(SimUser.STAFF)) {
            for (String schoolId : user.schoolIds()) {
                usersBySchool.computeIfAbsent(schoolId, k -> new TreeMap<>()).put(user.id(), user);
            }
        }
    }

    private void unindex(SimUser user) {
        for (String role : user.roles()) {
            roleMap(role).remove(user.id());
        }
        for (String schoolId : user.schoolIds()) {
            TreeMap<String, SimUser> of = usersBySchool.get(schoolId);
            if (of != null) {
                of.remove(user.id());
            }
        }
    }

    /** Sorted ids of the users in a school (tests, mutations). */
    Set<String> userIdsOfSchool(String schoolId) {
        return read(() -> new TreeSet<>(usersBySchool.getOrDefault(schoolId, new TreeMap<>()).keySet()));
    }
}
