package com.cleversync.system;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Last line of defence for log output: every log event whose message or exception carries a secret (a registered
 * token or password, a bearer or basic credential, {@code password=...}) is written with those parts replaced by
 * {@code [redacted]}, whatever logger produced it. Our own messages are redacted where they are made; this catches
 * libraries, e.g. the JDK HTTP client's wire log ({@code -Djdk.httpclient.HttpClient.log=headers}), which prints
 * the {@code Authorization} header. Installed on Logback right after Spring Boot has configured logging, so it
 * applies to plain and structured (JSON) output alike.
 */
public final class LogRedaction extends TurboFilter {

    private static final String NAME = "clever-sync-secret-redaction";

    /** Adds the filter once to the running Logback context (no-op with another logging backend). */
    public static void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(f -> NAME.equals(f.getName()))) {
            LogRedaction filter = new LogRedaction();
            filter.setName(NAME);
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || level == null || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        var formatted = MessageFormatter.arrayFormat(format, params);
        String message = formatted.getMessage();
        Throwable throwable = t != null ? t : formatted.getThrowable();
        String redacted = Secrets.redact(message);
        boolean throwableLeaks = leaks(throwable);
        if (redacted.equals(message) && !throwableLeaks) {
            return FilterReply.NEUTRAL;
        }
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, level, redacted,
                throwableLeaks ? redactedCopy(throwable) : throwable, null);
        if (marker != null) {
            event.addMarker(marker);
        }
        logger.callAppenders(event);
        return FilterReply.DENY;
    }

    private static boolean leaks(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause() == x ? null : x.getCause()) {
            String m = x.getMessage();
            if (m != null && !Secrets.redact(m).equals(m)) {
                return true;
            }
        }
        return false;
    }

    /** The exception chain with redacted messages and the original types (in the message) and stack traces. */
    private static Throwable redactedCopy(Throwable t) {
        if (t == null) {
            return null;
        }
        Throwable cause = t.getCause() == t ? null : redactedCopy(t.getCause());
        String message = t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + Secrets.redact(t.getMessage());
        Throwable copy = new RedactedException(message, cause);
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** Stands in for an exception whose message carried a secret. */
    static final class RedactedException extends RuntimeException {
        RedactedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Installs the filter as soon as Spring Boot has (re)initialised logging. */
    public static final class Installer implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {
        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            install();
        }

        @Override
        public int getOrder() {
            return LoggingApplicationListener.DEFAULT_ORDER + 1;
        }
    }
}
