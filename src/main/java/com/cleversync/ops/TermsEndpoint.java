package com.cleversync.ops;

import com.cleversync.importing.TermPreview;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.stereotype.Component;

/**
 * {@code GET /actuator/terms?account=A&school=S}: the school's Clever terms with their numbers of sections,
 * students and teachers, before importing; writes nothing. Same data as the {@code terms} command.
 */
@Component
@WebEndpoint(id = "terms")
public class TermsEndpoint {

    private final TermPreview preview;

    public TermsEndpoint(TermPreview preview) {
        this.preview = preview;
    }

    @ReadOperation
    public WebEndpointResponse<Object> terms(String account, String school) {
        return OpsResponses.ok(() -> preview.terms(OpsInput.id(account, "account"), school));
    }
}
