package com.cleversync.importing;

import com.cleversync.clever.CleverSection;
import com.cleversync.roster.InvalidRecordException;
import org.springframework.batch.infrastructure.item.ItemProcessor;

import java.util.stream.Stream;

/**
 * Keeps the sections of the import's term (others, and sections without a term, are filtered out). A section
 * enrolling an id that is not a Clever id (a comma in it) is skipped and reported.
 */
public class SectionProcessor implements ItemProcessor<CleverSection, StagedSection> {

    private final String termId;

    public SectionProcessor(String termId) {
        this.termId = termId;
    }

    @Override
    public StagedSection process(CleverSection section) {
        if (!termId.equals(section.termId())) {
            return null;
        }
        StagedSection staged = StagedSection.of(section);
        Stream.concat(staged.teachers().stream(), staged.students().stream())
                .filter(id -> !StagedEnrollments.storable(id)).findFirst().ifPresent(id -> {
                    throw new InvalidRecordException(section.id(), "enrolls '" + id + "', which is not a Clever id");
                });
        return staged;
    }
}
