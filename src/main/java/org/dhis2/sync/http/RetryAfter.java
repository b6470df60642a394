package org.dhis2.sync.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Honours a DHIS2 (or proxy) {@code Retry-After} header on a retried answer (429 Too Many Requests, 503 Service
 * Unavailable, any 5xx that carries it): the error handler of {@code dhis2Calls} calls this whenever a call fails,
 * before it decides how long to wait, and this sets Camel's per-exchange redelivery delay. The wait is the longer of
 * the configured delay ({@code metadata.sync.retry.time.frequency.millisec}) and what the server asked for, the
 * latter capped at {@code sync.retry.maxRetryAfterSeconds}, so that a server cannot park a job for hours. Without
 * the header the configured delay applies.
 */
public final class RetryAfter implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RetryAfter.class);

    private final Duration configuredDelay;
    private final Duration cap;
    private final Clock clock;

    public RetryAfter(Duration configuredDelay, Duration cap) {
        this(configuredDelay, cap, Clock.systemUTC());
    }

    RetryAfter(Duration configuredDelay, Duration cap, Clock clock) {
        this.configuredDelay = configuredDelay;
        this.cap = cap;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        Optional<Duration> asked = failedAnswer(exchange).flatMap(e -> header(e.getResponseHeaders()))
                .flatMap(this::parse);
        if (asked.isEmpty()) {
            exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
            return;
        }
        Duration wait = delay(asked.get());
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, wait.toMillis());
        LOG.info("{} answered HTTP {} with Retry-After {} s: waiting {} ms before trying again",
                failedAnswer(exchange).map(HttpOperationFailedException::getUri).map(RetryAfter::withoutQuery)
                        .orElse("DHIS2"),
                failedAnswer(exchange).map(HttpOperationFailedException::getStatusCode).orElse(0),
                asked.get().toSeconds(), wait.toMillis());
    }

    /** The wait before the next attempt when the server asked for {@code asked}. */
    Duration delay(Duration asked) {
        Duration honoured = asked.compareTo(cap) > 0 ? cap : asked;
        return honoured.compareTo(configuredDelay) > 0 ? honoured : configuredDelay;
    }

    /** RFC 9110 Retry-After: delay-seconds or an HTTP date (a date in the past means now). */
    Optional<Duration> parse(String value) {
        String v = value.trim();
        if (v.matches("\\d{1,10}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration until = Duration.between(clock.instant(), at);
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<HttpOperationFailedException> failedAnswer(Exchange exchange) {
        Throwable error = exchange.getException();
        if (error == null) {
            error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpOperationFailedException failed) {
                return Optional.of(failed);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> header(Map<String, String> headers) {
        if (headers == null) {
            return Optional.empty();
        }
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("Retry-After"))
                .map(Map.Entry::getValue).filter(v -> v != null && !v.isBlank()).findFirst();
    }

    private static String withoutQuery(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }
}
