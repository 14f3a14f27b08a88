package com.cleversync.ops;

import com.cleversync.contacts.ContactCleanup;
import com.cleversync.contacts.ContactLevel;
import com.cleversync.system.BadInputException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.stereotype.Component;

/**
 * {@code POST /actuator/contacts/{account}/{level}}: the contacts clean-slate. Body {@code {"dryRun": true}}
 * counts and returns a confirmation token; {@code {"confirm": "TOKEN"}} deletes.
 */
@Component
@WebEndpoint(id = "contacts")
public class ContactsEndpoint {

    private final ContactCleanup cleanup;

    public ContactsEndpoint(ContactCleanup cleanup) {
        this.cleanup = cleanup;
    }

    @WriteOperation
    public WebEndpointResponse<Object> delete(@Selector String account, @Selector String level,
                                              @Nullable Boolean dryRun, @Nullable String confirm) {
        return OpsResponses.ok(() -> {
            long accountId = OpsInput.id(account, "account");
            ContactLevel contactLevel = ContactLevel.parse(level);
            boolean dry = Boolean.TRUE.equals(dryRun);
            if (dry == (confirm != null)) {
                throw new BadInputException("send either {\"dryRun\": true} or {\"confirm\": \"TOKEN\"} (from a dry run)");
            }
            return dry ? cleanup.dryRun(accountId, contactLevel) : cleanup.delete(accountId, contactLevel, confirm);
        });
    }
}
