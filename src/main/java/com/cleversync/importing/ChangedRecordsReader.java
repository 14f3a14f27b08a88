package com.cleversync.importing;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads the records of an import run on a change set ({@link ChangeScope}) instead of a school's list: the ids are
 * worked out when the reader opens (in id order), each looked up as it is read ({@code lookup} returns null for a
 * record the run leaves alone). Its state is the last id handed out, under {@code <name>.after}, so a restart
 * resumes after the last committed chunk.
 */
class ChangedRecordsReader<T> implements ItemStreamReader<T> {

    private final String name;
    private final Supplier<List<String>> ids;
    private final Function<String, T> lookup;
    private List<String> list = List.of();
    private int next;
    private String last;

    ChangedRecordsReader(String name, Supplier<List<String>> ids, Function<String, T> lookup) {
        this.name = name;
        this.ids = ids;
        this.lookup = lookup;
    }

    private String key() {
        return name + ".after";
    }

    @Override
    public void open(ExecutionContext executionContext) throws ItemStreamException {
        list = ids.get();
        last = executionContext.containsKey(key()) ? executionContext.getString(key()) : null;
        next = indexAfter(list, last);
    }

    /** Where a reader of these ids (in id order) resumes after {@code last} (null: from the start). */
    static int indexAfter(List<String> ids, String last) {
        int next = 0;
        if (last != null) {
            while (next < ids.size() && ids.get(next).compareTo(last) <= 0) {
                next++;
            }
        }
        return next;
    }

    @Override
    public T read() {
        while (next < list.size()) {
            String id = list.get(next++);
            last = id;
            T record = lookup.apply(id);
            if (record != null) {
                return record;
            }
        }
        return null;
    }

    @Override
    public void update(ExecutionContext executionContext) throws ItemStreamException {
        if (last != null) {
            executionContext.putString(key(), last);
        }
    }
}
