package com.cleversync.importing;

import com.cleversync.system.BulkLoad;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every import job test again with {@code clever-sync.import.bulk-load=false}: the batched INSERTs that replace LOAD
 * DATA (when it is turned off, or the server does not allow it) give the same results, restarts included.
 */
@TestPropertySource(properties = "clever-sync.import.bulk-load=false")
class ImportJobBatchedInsertsTest extends ImportJobTest {

    @Autowired
    BulkLoad bulk;

    @Test
    void writesGoThroughBatchedInserts() {
        assertThat(bulk.active()).isFalse();
    }
}
