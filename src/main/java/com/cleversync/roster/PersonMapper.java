package com.cleversync.roster;

import com.cleversync.clever.CleverName;
import com.cleversync.clever.CleverUser;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.Set;

/** Maps Clever users to {@link Person}s: names, ids, emails and, for parents, the dedupe key. */
public final class PersonMapper {

    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");


    private PersonMapper() {
    }

    public static Person teacher(CleverUser user) {
        CleverUser.Teacher t = user.teacher();
        String sis = t == null ? null : Normalize.text(t.sisId());
        String number = t == null ? null : Normalize.text(t.teacherNumber());
        return person(user, ContactKind.TEACHER, firstNonNull(sis, number), ids(sis, number), null, null, List.of());
    }

    public static Person student(CleverUser user) {
        CleverUser.Student s = user.student();
        String sis = s == null ? null : Normalize.text(s.sisId());
        String number = s == null ? null : Normalize.text(s.studentNumber());
        String grade = s == null ? null : Normalize.text(s.grade());
        return person(user, ContactKind.STUDENT, firstNonNull(sis, number), ids(sis, number), grade, null, List.of());
    }

    /**
     * A parent with its links to the given students, leaving out relationship types in {@code excludedTypes}
     * (compared case-insensitively). Returns null when no link is left: the contact is not a parent of any
     * of the import's students.
     */
    public static Person parent(CleverUser user, Set<String> importStudents, Set<String> excludedTypes) {
        CleverUser.Contact c = user.contact();
        if (c == null) {
            return null;
        }
        List<Person.ParentOf> links = new ArrayList<>();
        for (CleverUser.StudentRelationship r : c.studentRelationships()) {
            if (r.student() == null || !importStudents.contains(r.student())) {
                continue;
            }
            String type = Normalize.text(r.type());
            if (type != null && excludedTypes.stream().anyMatch(type::equalsIgnoreCase)) {
                continue;
            }
            if (links.stream().noneMatch(l -> l.studentCleverId().equals(r.student()))) {
                links.add(new Person.ParentOf(r.student(), Normalize.text(r.relationship()), type));
            }
        }
        if (links.isEmpty()) {
            return null;
        }
        String sis = Normalize.text(c.sisId());
        String phone = Normalize.text(c.phone());
        Person p = person(user, ContactKind.PARENT, sis, ids(sis), null, phone, links);
        return p;
    }

    private static Person person(CleverUser user, ContactKind kind, String externalId, List<String> matchIds,
                                 String grade, String phone, List<Person.ParentOf> parentOf) {
        String[] name = splitName(user.name());
        if (name[0] == null && name[1] == null) {
            throw new InvalidRecordException(user.id(), kind.name().toLowerCase() + " without a name");
        }
        String email = Normalize.text(user.email());
        String emailNorm = Normalize.email(email);
        String dedupeKey = null;
        if (kind == ContactKind.PARENT) {
            String fullName = Normalize.name(name[0], name[1]);
            String phoneNorm = Normalize.phone(phone);
            if (emailNorm != null) {
                dedupeKey = "email:" + emailNorm;
            } else if (fullName != null && phoneNorm != null) {
                dedupeKey = "name-phone:" + fullName + "|" + phoneNorm;
            }
        }
        return new Person(user.id(), kind, name[0], name[1], email, emailNorm, phone, externalId, matchIds, grade,
                dedupeKey, parentOf);
    }

    /**
     * First and last name. Contacts often carry the whole name in {@code last} only: then the last word is the
     * last name and the rest the first name ("Mary Ann Smith" → "Mary Ann", "Smith").
     */
    static String[] splitName(CleverName name) {
        if (name == null) {
            return new String[2];
        }
        String first = Normalize.text(name.first());
        String last = Normalize.text(name.last());
        if (first == null && last != null) {
            String collapsed = WHITE_SPACE.matcher(last).replaceAll(" ");
            int space = collapsed.lastIndexOf(' ');
            if (space > 0) {
                return new String[] {collapsed.substring(0, space), collapsed.substring(space + 1)};
            }
        }
        return new String[] {first, last};
    }

    private static List<String> ids(String... ids) {
        List<String> list = new ArrayList<>(2);
        for (String id : ids) {
            if (id != null && !list.contains(id)) {
                list.add(id);
            }
        }
        return List.copyOf(list);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
