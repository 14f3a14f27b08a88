package com.cleversync.clever;

import com.cleversync.system.Secrets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import tools.jackson.core.exc.JacksonIOException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One GET to Clever with everything around it: per-token pacing, 429 waits, retries with exponential backoff
 * and jitter (Framework 7 {@link RetryTemplate}), a read timeout that also covers a body that stalls half way,
 * error classification, and metrics. The body is handed to a reader as a stream inside the retried block, so a
 * page cut off mid-body or not valid JSON is retried like a 503.
 */
final class CleverHttp {

    private static final Logger log = LoggerFactory.getLogger(CleverHttp.class);
    private static final int SNIPPET_BYTES = 2048;
    private static final int SNIPPET_CHARS = 160;

    /** Reads a 200 body; runs inside the retried block. */
    interface BodyReader<R> {
        R read(InputStream body);
    }

    /**
     * One request: {@code kind} tags metrics (schools, sections, users, ...), {@code describe} names it in
     * messages (path and query without secrets), {@code rateKey} is the token the pacing is kept for.
     */
    record Call(String kind, String describe, URI uri, String authorization, String rateKey, String districtLabel,
                boolean appCredentials) {
    }

    private final CleverProperties properties;
    private final HttpClient client;
    private final RateLimiter rateLimiter;
    private final RetryTemplate retryTemplate;
    private final MeterRegistry meters;
    private final ScheduledExecutorService watchdog;

    CleverHttp(CleverProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.meters = meters;
        this.client = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.rateLimiter = new RateLimiter(properties.rateLimit().reserve(), properties.rateLimit().maxWait(), Clock.systemUTC());
        CleverProperties.Retry r = properties.retry();
        RetryPolicy policy = RetryPolicy.builder()
                .maxRetries(r.maxAttempts() - 1)
                .delay(r.initialDelay())
                .jitter(r.initialDelay().dividedBy(2))
                .multiplier(r.multiplier())
                .maxDelay(r.maxDelay())
                .predicate(t -> t instanceof CleverApiException e && e.retryable())
                .build();
        this.retryTemplate = new RetryTemplate(policy);
        this.retryTemplate.setRetryListener(new RetryListener() {
            @Override
            public void beforeRetry(RetryPolicy retryPolicy, Retryable<?> retryable, RetryState state) {
                Throwable last = state.getLastException();
                String kind = retryable instanceof Attempt<?> a ? a.call.kind() : "unknown";
                counter("clever.retries", "kind", kind).increment();
                log.warn("Retrying {} (attempt {} of {}): {}", retryable.getName(), state.getRetryCount() + 1,
                        r.maxAttempts(), last == null ? "" : Secrets.redact(last.getMessage()));
            }
        });
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "clever-read-timeout");
            t.setDaemon(true);
            return t;
        });
    }

    CleverProperties properties() {
        return properties;
    }

    /** Runs the call with retries; the last failure is thrown as a {@link CleverApiException}. */
    <R> R get(Call call, BodyReader<R> reader) {
        try {
            return retryTemplate.execute(new Attempt<>(call, reader));
        } catch (RetryException e) {
            Throwable last = e.getLastException() != null ? e.getLastException() : e.getCause();
            int attempts = e.getRetryCount() + 1;
            if (last instanceof CleverApiException api) {
                if (api.retryable() && attempts > 1) {
                    throw new CleverApiException(api.status(), true,
                            api.getMessage() + " (gave up after " + attempts + " attempts)", api);
                }
                throw api;
            }
            if (last instanceof RuntimeException re) {
                throw re;
            }
            throw new CleverApiException(0, false, call.describe() + " failed: " + last, last);
        }
    }

    private final class Attempt<R> implements Retryable<R> {
        final Call call;
        final BodyReader<R> reader;

        Attempt(Call call, BodyReader<R> reader) {
            this.call = call;
            this.reader = reader;
        }

        @Override
        public R execute() {
            return attempt(call, reader);
        }

        @Override
        public String getName() {
            return call.describe();
        }
    }

    private <R> R attempt(Call call, BodyReader<R> reader) {
        int waits429 = 0;
        while (true) {
            Duration pace = rateLimiter.acquire(call.rateKey());
            if (!pace.isZero()) {
                counter("clever.rate_limit.waits", "reason", "reserve").increment();
                log.debug("Rate limit reserve reached; waiting {} ms before {}", pace.toMillis(), call.describe());
                sleep(pace, call);
            }
            HttpRequest request = HttpRequest.newBuilder(call.uri())
                    .timeout(properties.readTimeout())
                    .header("Authorization", call.authorization())
                    .header("Accept", "application/json")
                    .GET()
                    .build();
            HttpResponse<InputStream> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                counter("clever.requests", "status", "timeout", "kind", call.kind()).increment();
                throw new CleverApiException(0, true, "Clever did not answer " + call.describe() + " within "
                        + properties.readTimeout().toMillis() + " ms (clever.read-timeout)", e);
            } catch (IOException e) {
                counter("clever.requests", "status", "io_error", "kind", call.kind()).increment();
                throw new CleverApiException(0, true, call.describe() + " failed: " + describe(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CleverApiException(0, false, call.describe() + " was interrupted", e);
            }
            rateLimiter.observe(call.rateKey(), response.headers());
            int status = response.statusCode();
            counter("clever.requests", "status", Integer.toString(status), "kind", call.kind()).increment();
            if (status == 200) {
                return readBody(call, response.body(), reader);
            }
            String snippet = snippet(response.body());
            if (status == 429) {
                waits429++;
                if (waits429 > properties.rateLimit().maxWaits()) {
                    throw new CleverApiException(429, false, "Clever kept answering 429 (rate limit) to " + call.describe()
                            + " for district " + call.districtLabel() + " after " + properties.rateLimit().maxWaits()
                            + " waits (clever.rate-limit.max-waits)");
                }
                Duration wait = rateLimiter.waitAfter429(response.headers(), backoff(waits429));
                counter("clever.rate_limit.waits", "reason", "429").increment();
                log.info("Clever rate limit reached (429) on {}; waiting {} ms", call.describe(), wait.toMillis());
                sleep(wait, call);
                continue;
            }
            throw error(call, status, snippet);
        }
    }

    private <R> R readBody(Call call, InputStream body, BodyReader<R> reader) {
        try (InputStream in = new IdleTimeoutInputStream(body, properties.readTimeout(), watchdog)) {
            return reader.read(in);
        } catch (JacksonIOException | UncheckedIOException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            counter("clever.requests.failed_bodies", "kind", call.kind()).increment();
            throw new CleverApiException(0, true, "reading " + call.describe() + " failed: " + describe(cause), e);
        } catch (CleverJson.InvalidBodyException e) {
            counter("clever.requests.failed_bodies", "kind", call.kind()).increment();
            throw new CleverApiException(200, true, "Clever sent an unreadable answer to " + call.describe() + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            // close() failed after a complete read: the result stands.
            throw new CleverApiException(0, true, "closing " + call.describe() + " failed: " + describe(e), e);
        }
    }

    private CleverApiException error(Call call, int status, String snippet) {
        String tail = snippet.isEmpty() ? "" : ": " + snippet;
        String district = " for district " + call.districtLabel();
        return switch (status) {
            case 401 -> call.appCredentials()
                    ? new CleverAuthException("Clever rejected the app credentials (clever.app.client-id / "
                    + "clever.app.client-secret) on " + call.describe() + " (401)" + tail)
                    : new CleverAuthException("Clever rejected the token for district " + call.districtLabel()
                    + " (401) on " + call.describe() + "; reconnect the district or check its token" + tail);
            case 413 -> new CleverApiException(413, false, "Clever answered 413 to " + call.describe()
                    + ": clever.page-limit=" + properties.pageLimit() + " is misconfigured (Clever's maximum is 10000)" + tail);
            case 403 -> new CleverApiException(403, false, "Clever refused " + call.describe() + district + " (403)" + tail);
            case 404 -> new CleverApiException(404, false, "Clever has no " + call.describe() + district + " (404)" + tail);
            case 500, 502, 503, 504 -> new CleverApiException(status, true, "Clever failed on " + call.describe()
                    + district + " (" + status + ")" + tail);
            default -> new CleverApiException(status, false, "Clever answered " + status + " to " + call.describe()
                    + district + tail);
        };
    }

    private Duration backoff(int attempt) {
        CleverProperties.Retry r = properties.retry();
        double millis = r.initialDelay().toMillis() * Math.pow(r.multiplier(), Math.max(0, attempt - 1));
        return Duration.ofMillis((long) Math.min(millis, r.maxDelay().toMillis()));
    }

    private void sleep(Duration d, Call call) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CleverApiException(0, false, call.describe() + " was interrupted while waiting for the rate limit", e);
        }
    }

    private Counter counter(String name, String... tags) {
        return meters.counter(name, tags);
    }

    /** A short, single-line, secret-free excerpt of an error body (JSON message, HTML text or plain text). */
    static String snippet(InputStream body) {
        byte[] bytes;
        try (InputStream in = body) {
            bytes = in.readNBytes(SNIPPET_BYTES);
        } catch (IOException | RuntimeException e) {
            return "";
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "";
        }
        if (text.startsWith("{")) {
            try {
                var node = CleverJson.MAPPER.readTree(text);
                for (String field : new String[]{"message", "error_description", "error"}) {
                    if (node.path(field).isString() && !node.path(field).asString().isBlank()) {
                        text = node.path(field).asString();
                        break;
                    }
                }
            } catch (RuntimeException e) {
                // not JSON after all (or cut off): fall through to plain text
            }
        }
        if (text.contains("<")) {
            text = text.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ")
                    .replaceAll("(?s)<[^>]*>?", " ")
                    .replaceAll("&nbsp;", " ").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
        }
        text = text.replaceAll("\\p{Cntrl}", " ").replaceAll("\\s+", " ").strip();
        if (text.length() > SNIPPET_CHARS) {
            text = text.substring(0, SNIPPET_CHARS) + "...";
        }
        return Secrets.redact(text);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        String name = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? name : name + ": " + CleverJson.firstLine(message);
    }

    /**
     * The JDK client's request timeout ends when the headers arrive; this closes the body when no byte arrives
     * for {@code timeout}, so a server that stalls half way through a page fails the attempt instead of
     * hanging the import. The blocked reader is interrupted (the JDK stream does not wake on close) and the
     * interrupt is cleared again before the timeout is reported.
     */
    static final class IdleTimeoutInputStream extends FilterInputStream {
        private final long timeoutNanos;
        private final ScheduledExecutorService scheduler;
        private final Object lock = new Object();
        private volatile long lastActivity = System.nanoTime();
        private volatile boolean timedOut;
        private boolean closed;
        private Thread reader;
        private ScheduledFuture<?> check;

        IdleTimeoutInputStream(InputStream in, Duration timeout, ScheduledExecutorService scheduler) {
            super(in);
            this.timeoutNanos = timeout.toNanos();
            this.scheduler = scheduler;
            schedule(timeoutNanos);
        }

        private void schedule(long delayNanos) {
            synchronized (lock) {
                if (!timedOut && !closed) {
                    check = scheduler.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
                }
            }
        }

        private void check() {
            long idle = System.nanoTime() - lastActivity;
            if (idle < timeoutNanos) {
                schedule(timeoutNanos - idle);
                return;
            }
            synchronized (lock) {
                if (closed) {
                    return;
                }
                timedOut = true;
                if (reader != null) {
                    reader.interrupt();
                }
            }
            try {
                in.close();
            } catch (IOException ignored) {
                // the reader sees the timeout either way
            }
        }

        private void enter() throws IOException {
            synchronized (lock) {
                if (timedOut) {
                    throw new HttpTimeoutException("no data from Clever for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                            + " ms while reading the body (clever.read-timeout)");
                }
                reader = Thread.currentThread();
            }
        }

        private void exit(IOException failure) throws IOException {
            synchronized (lock) {
                reader = null;
                if (timedOut) {
                    Thread.interrupted();
                    throw new HttpTimeoutException("no data from Clever for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                            + " ms while reading the body (clever.read-timeout)");
                }
            }
            if (failure != null) {
                throw failure;
            }
            lastActivity = System.nanoTime();
        }

        @Override
        public int read() throws IOException {
            enter();
            int b;
            try {
                b = in.read();
            } catch (IOException e) {
                exit(e);
                throw e;
            }
            exit(null);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            enter();
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                exit(e);
                throw e;
            }
            exit(null);
            return n;
        }

        @Override
        public void close() throws IOException {
            synchronized (lock) {
                closed = true;
                if (check != null) {
                    check.cancel(false);
                }
            }
            in.close();
        }
    }
}
