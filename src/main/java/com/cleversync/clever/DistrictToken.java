package com.cleversync.clever;

import com.cleversync.system.Secrets;

/** A district's bearer token as listed by {@code GET /oauth/tokens?owner_type=district}. */
public record DistrictToken(String districtId, String accessToken) {

    public DistrictToken {
        Secrets.register(accessToken);
    }

    public CleverCredentials credentials(String label) {
        return new CleverCredentials(label, accessToken);
    }

    @Override
    public String toString() {
        return "DistrictToken[districtId=" + districtId + ", accessToken=[redacted]]";
    }
}
