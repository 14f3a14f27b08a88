package com.cleversync.importing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the import job ({@code clever-sync.import.*}).
 *
 * @param chunkSize                 records per transaction in the read steps
 * @param skipLimit                 malformed records tolerated per step before the job fails
 * @param massRemovalThreshold      share of an import's classes or enrollments a run may remove without an override
 * @param excludedRelationshipTypes contact relationship types that do not make a parent (case-insensitive)
 * @param sharedContactsMaxAge      how old a nightly run's read of the district's contacts may be for another
 *                                  nightly run of the same account to use it instead of reading them again (0: never)
 * @param districtChunkSize         contacts per transaction in the read of the district's contacts (they are mapped
 *                                  and handed to the step {@code chunkSize} at a time, up to one transaction ahead of
 *                                  the writes)
 */
@ConfigurationProperties("clever-sync.import")
public record ImportProperties(@DefaultValue("1000") int chunkSize,
                               @DefaultValue("100") int skipLimit,
                               @DefaultValue("0.10") double massRemovalThreshold,
                               @DefaultValue("Emergency") List<String> excludedRelationshipTypes,
                               @DefaultValue("3h") Duration sharedContactsMaxAge,
                               @DefaultValue("5000") int districtChunkSize) {
}
