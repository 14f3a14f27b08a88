package com.cleversync.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code clever-sync.ops.*}: who may call the protected Actuator endpoints. No default password: without a
 * username and password, every protected endpoint answers 401. The optional viewer is an authenticated
 * caller without the ops role (it sees health details, nothing else).
 */
@ConfigurationProperties("clever-sync.ops")
public record OpsProperties(String username, String password, String viewerUsername, String viewerPassword) {

    @Override
    public String toString() {
        return "OpsProperties[username=" + username + ", password=" + (password == null ? "(none)" : "[redacted]")
                + ", viewerUsername=" + viewerUsername + "]";
    }
}
