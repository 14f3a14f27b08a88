package com.cleversync.importing;

import org.springframework.test.context.TestPropertySource;

/**
 * The matching of existing contacts again with {@code clever-sync.import.bulk-load=false}: a batched INSERT that
 * breaks the dedupe key is undone and retried one contact at a time, as a load is.
 */
@TestPropertySource(properties = "clever-sync.import.bulk-load=false")
class ExistingContactsBatchedInsertsTest extends ExistingContactsTest {
}
