package com.cleversync.importing;

import com.cleversync.clever.CleverUser;
import com.cleversync.roster.Person;
import org.springframework.batch.infrastructure.item.ItemProcessor;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Keeps the users the import's sections enroll and maps them to people. A user that cannot be a contact
 * (no name) throws {@link com.cleversync.roster.InvalidRecordException}: skipped and reported.
 */
public class PersonProcessor implements ItemProcessor<CleverUser, Person> {

    private final Predicate<String> inScope;
    private final Function<CleverUser, Person> mapper;

    public PersonProcessor(Predicate<String> inScope, Function<CleverUser, Person> mapper) {
        this.inScope = inScope;
        this.mapper = mapper;
    }

    @Override
    public Person process(CleverUser user) {
        return inScope.test(user.id()) ? mapper.apply(user) : null;
    }
}
