package com.cleversync.importing;

import com.cleversync.clever.CleverSection;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/** Keeps the sections of the import's term (others, and sections without a term, are filtered out). */
public class SectionProcessor implements ItemProcessor<CleverSection, StagedSection> {

    private final String termId;

    public SectionProcessor(String termId) {
        this.termId = termId;
    }

    @Override
    public StagedSection process(CleverSection section) {
        return termId.equals(section.termId()) ? StagedSection.of(section) : null;
    }
}
