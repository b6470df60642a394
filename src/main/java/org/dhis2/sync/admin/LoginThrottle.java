package org.dhis2.sync.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wrong credentials per client address, wherever the admin login is asked (admin API, console login form, Jolokia,
 * reserved value hand-out): after {@code maxFailures} within {@code window} the address is refused, right
 * credentials or not, until the window since its first counted failure has passed. Guessing the admin password or
 * token stays hopeless; an operator who mistyped waits minutes at most. In memory, per node.
 */
public final class LoginThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
    /** Beyond this many addresses the expired ones are dropped, so the map stays bounded. */
    private static final int PRUNE_ABOVE = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    private record Failures(Instant since, int count) {
    }

    public LoginThrottle(int maxFailures, Duration window) {
        this(maxFailures, window, Clock.systemUTC());
    }

    LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** How long the address must still wait before it may try again; empty when it may try now. */
    public Optional<Duration> refusal(String address) {
        Failures f = failures.get(key(address));
        if (f == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant until = f.since().plus(window);
        if (!now.isBefore(until)) {
            failures.remove(key(address), f);
            return Optional.empty();
        }
        return f.count() >= maxFailures ? Optional.of(Duration.between(now, until)) : Optional.empty();
    }

    /** A wrong password or token came from the address. */
    public void failed(String address) {
        Instant now = clock.instant();
        Failures f = failures.compute(key(address), (k, was) -> was == null || !now.isBefore(was.since().plus(window))
                ? new Failures(now, 1) : new Failures(was.since(), was.count() + 1));
        if (f.count() == maxFailures) {
            LOG.warn("{} wrong admin logins from {} within {} s: its logins are refused until {}", maxFailures,
                    key(address), window.toSeconds(), f.since().plus(window));
        }
        if (failures.size() > PRUNE_ABOVE) {
            failures.values().removeIf(x -> !now.isBefore(x.since().plus(window)));
        }
    }

    /** The address logged in: its earlier mistakes are forgotten. */
    public void succeeded(String address) {
        failures.remove(key(address));
    }

    private static String key(String address) {
        return address == null || address.isBlank() ? "an unknown address" : address;
    }
}
