package com.cleversync.importing;

import com.cleversync.account.AccountService;
import com.cleversync.clever.CleverClient;
import com.cleversync.clever.CleverCredentials;
import com.cleversync.clever.CleverSection;
import com.cleversync.clever.CleverTerm;
import com.cleversync.system.BadInputException;
import org.springframework.stereotype.Service;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "Review the data before importing": a school's Clever terms with the number of sections, students and
 * teachers in each, read from Clever in one pass over the school's sections. Writes nothing.
 */
@Service("termPreview")
public class TermPreview {

    private final AccountService accounts;
    private final CleverClient clever;

    public TermPreview(AccountService accounts, CleverClient clever) {
        this.accounts = accounts;
        this.clever = clever;
    }

    /** One term of the school; {@code termId} null collects the sections without a term. */
    public record TermSummary(String termId, String name, LocalDate startDate, LocalDate endDate, int sections,
                              int students, int teachers) {
    }

    public List<TermSummary> terms(long accountId, String schoolId) {
        accounts.requireAccount(accountId);
        String school = ImportService.cleverId(schoolId, "school");
        CleverCredentials credentials = accounts.credentials(accountId);
        if (clever.school(credentials, school).isEmpty()) {
            throw BadInputException.notFound("school " + school + " is not in the Clever district of account " + accountId);
        }
        final class Tally {
            int sections;
            final Set<String> students = new HashSet<>();
            final Set<String> teachers = new HashSet<>();
        }
        Map<String, Tally> byTerm = new HashMap<>();
        try (var sections = clever.schoolSections(credentials, school).stream()) {
            sections.forEach((CleverSection s) -> {
                Tally t = byTerm.computeIfAbsent(s.termId() == null ? "" : s.termId(), k -> new Tally());
                t.sections++;
                t.students.addAll(s.students());
                t.teachers.addAll(s.teachers());
            });
        }
        List<TermSummary> result = new ArrayList<>();
        List<CleverTerm> terms;
        try (var stream = clever.schoolTerms(credentials, school).stream()) {
            terms = stream.sorted((a, b) -> String.valueOf(a.startDate()).compareTo(String.valueOf(b.startDate()))).toList();
        }
        for (CleverTerm term : terms) {
            Tally t = byTerm.getOrDefault(term.id(), new Tally());
            result.add(new TermSummary(term.id(), term.name(), term.startDate(), term.endDate(), t.sections, t.students.size(),
                    t.teachers.size()));
        }
        Tally none = byTerm.get("");
        if (none != null) {
            result.add(new TermSummary(null, "(sections without a term: not importable)", null, null, none.sections,
                    none.students.size(), none.teachers.size()));
        }
        return result;
    }
}
