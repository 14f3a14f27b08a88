package com.cleversync.clever;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of the Clever client ({@code clever.*}). {@code pageLimit} is the {@code limit} sent on every list
 * request; Clever answers 413 above 10000, which is reported as a misconfiguration rather than capped here so a
 * change on Clever's side shows up as a clear error.
 */
@ConfigurationProperties("clever")
public record CleverProperties(@DefaultValue Api api,
                               @DefaultValue OAuth oauth,
                               @DefaultValue("10000") int pageLimit,
                               @DefaultValue("5s") Duration connectTimeout,
                               @DefaultValue("60s") Duration readTimeout,
                               @DefaultValue Retry retry,
                               @DefaultValue RateLimit rateLimit,
                               @DefaultValue App app) {

    public CleverProperties {
        api = api != null ? api : new Api(null, null);
        oauth = oauth != null ? oauth : new OAuth(null);
        retry = retry != null ? retry : Retry.defaults();
        rateLimit = rateLimit != null ? rateLimit : RateLimit.defaults();
        app = app != null ? app : new App(null, null);
        connectTimeout = connectTimeout != null ? connectTimeout : Duration.ofSeconds(5);
        readTimeout = readTimeout != null ? readTimeout : Duration.ofSeconds(60);
        if (pageLimit < 1) {
            throw new IllegalArgumentException("clever.page-limit must be at least 1 (Clever's maximum is 10000), got " + pageLimit);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("clever.connect-timeout and clever.read-timeout must be positive");
        }
    }

    /** Defaults for code that runs without Spring (tools, tests): everything as in application.yml. */
    public static CleverProperties defaults(String apiBaseUrl) {
        return new CleverProperties(new Api(apiBaseUrl, "v3.0"), new OAuth(apiBaseUrl), 10000,
                Duration.ofSeconds(5), Duration.ofSeconds(60), Retry.defaults(), RateLimit.defaults(), new App(null, null));
    }

    public CleverProperties withPageLimit(int limit) {
        return new CleverProperties(api, oauth, limit, connectTimeout, readTimeout, retry, rateLimit, app);
    }

    public CleverProperties withReadTimeout(Duration timeout) {
        return new CleverProperties(api, oauth, pageLimit, connectTimeout, timeout, retry, rateLimit, app);
    }

    public CleverProperties withRetry(Retry newRetry) {
        return new CleverProperties(api, oauth, pageLimit, connectTimeout, readTimeout, newRetry, rateLimit, app);
    }

    public CleverProperties withRateLimit(RateLimit newRateLimit) {
        return new CleverProperties(api, oauth, pageLimit, connectTimeout, readTimeout, retry, newRateLimit, app);
    }

    public CleverProperties withApp(App newApp) {
        return new CleverProperties(api, oauth, pageLimit, connectTimeout, readTimeout, retry, rateLimit, newApp);
    }

    public CleverProperties withVersion(String version) {
        return new CleverProperties(new Api(api.baseUrl(), version), oauth, pageLimit, connectTimeout, readTimeout,
                retry, rateLimit, app);
    }

    /** {@code clever.api.*}: the Data API host and version prefix (v3.0 or v3.1). */
    public record Api(@DefaultValue("https://api.clever.com") String baseUrl, @DefaultValue("v3.0") String version) {
        public Api {
            baseUrl = stripSlash(baseUrl == null || baseUrl.isBlank() ? "https://api.clever.com" : baseUrl.strip());
            version = version == null || version.isBlank() ? "v3.0" : version.strip();
            if (!version.equals("v3.0") && !version.equals("v3.1")) {
                throw new IllegalArgumentException("clever.api.version must be v3.0 or v3.1, got " + version);
            }
        }
    }

    /** {@code clever.oauth.*}: where {@code /oauth/tokens} lives. */
    public record OAuth(@DefaultValue("https://clever.com") String baseUrl) {
        public OAuth {
            baseUrl = stripSlash(baseUrl == null || baseUrl.isBlank() ? "https://clever.com" : baseUrl.strip());
        }
    }

    /**
     * {@code clever.retry.*}: attempts for 500/502/503/504, I/O failures and unreadable pages, with exponential
     * backoff ({@code initialDelay * multiplier^n}, at most {@code maxDelay}) plus up to half a delay of jitter.
     */
    public record Retry(@DefaultValue("6") int maxAttempts, @DefaultValue("500ms") Duration initialDelay,
                        @DefaultValue("30s") Duration maxDelay, @DefaultValue("2") double multiplier) {
        public Retry {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("clever.retry.max-attempts must be at least 1, got " + maxAttempts);
            }
            initialDelay = initialDelay == null ? Duration.ofMillis(500) : initialDelay;
            maxDelay = maxDelay == null ? Duration.ofSeconds(30) : maxDelay;
            if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException("clever.retry.initial-delay must be >= 0 and <= clever.retry.max-delay");
            }
            if (multiplier < 1) {
                throw new IllegalArgumentException("clever.retry.multiplier must be at least 1, got " + multiplier);
            }
        }

        public static Retry defaults() {
            return new Retry(6, Duration.ofMillis(500), Duration.ofSeconds(30), 2);
        }
    }

    /**
     * {@code clever.rate-limit.*}: {@code reserve} requests are kept in hand per token (when
     * X-Ratelimit-Remaining drops to it, wait for X-Ratelimit-Reset); a 429 waits for the reset too, at most
     * {@code max-waits} times in a row per request and at most {@code max-wait} each time.
     */
    public record RateLimit(@DefaultValue("5") int reserve, @DefaultValue("10") int maxWaits,
                            @DefaultValue("65s") Duration maxWait) {
        public RateLimit {
            if (reserve < 0 || maxWaits < 0) {
                throw new IllegalArgumentException("clever.rate-limit.reserve and max-waits must be >= 0");
            }
            maxWait = maxWait == null ? Duration.ofSeconds(65) : maxWait;
        }

        public static RateLimit defaults() {
            return new RateLimit(5, 10, Duration.ofSeconds(65));
        }
    }

    /** {@code clever.app.*}: the app's OAuth client, used only to list district tokens. */
    public record App(String clientId, String clientSecret) {
        public App {
            com.cleversync.system.Secrets.register(clientSecret);
        }

        public boolean configured() {
            return clientId != null && !clientId.isBlank() && clientSecret != null && !clientSecret.isBlank();
        }

        @Override
        public String toString() {
            return "App[clientId=" + clientId + ", clientSecret=[redacted]]";
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
