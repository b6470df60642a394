package org.dhis2.sync.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.Exchange;
import org.dhis2.sync.config.SyncSettings;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.Fault;
import org.dhis2.sync.sandbox.SandboxPair;
import org.dhis2.sync.stage.AvailabilityCheck;
import org.dhis2.sync.stage.Dhis2UnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvailabilityRouteTest {

    @TempDir
    static Path temp;
    static SandboxPair pair;
    static Engine engine;

    @BeforeAll
    static void start() throws Exception {
        pair = SandboxPair.start(Dhis2Version.of(40), Dhis2Version.of(42));
        pair.central().setCredentials("admin", "other-password");
        var props = TestEngines.properties(temp.resolve("pg"), TestEngines.routesWith(temp), Map.of(
                "local.url", pair.localServer().url(), "central.url", pair.centralServer().url(),
                "sync.availability.attempts", "3", "sync.availability.delayMillis", "5"));
        engine = Engine.start(SyncSettings.forRun(props));
    }

    @AfterAll
    static void stop() {
        engine.close();
        pair.close();
    }

    private Exchange check(String route) {
        return engine.context().createProducerTemplate().send(route, e -> { });
    }

    @Test
    void availableInstancePassesAfterTransientFailures() {
        pair.local().faults().on("GET", "/api/system/ping").requests(1, 2).fail(Fault.status(500));
        long before = pair.local().requests().count("GET", "/api/system/ping");
        Exchange result = check("direct:default.checkLocalAvailability");
        assertThat(result.getException()).isNull();
        assertThat(result.getVariable(AvailabilityCheck.RESULT, AvailabilityCheck.Availability.class).message())
                .isEqualTo("Authentication was successful");
        assertThat(pair.local().requests().count("GET", "/api/system/ping") - before).isEqualTo(3);
    }

    @Test
    void wrongCredentialsFailWithDhis2MessageAfterConfiguredAttempts() {
        long before = pair.central().requests().count("GET", "/api/system/ping");
        Exchange result = check("direct:default.checkCentralAvailability");
        assertThat(result.getException()).isInstanceOf(Dhis2UnavailableException.class)
                .hasMessage("The central DHIS2 is unavailable: Authentication failed");
        assertThat(pair.central().requests().count("GET", "/api/system/ping") - before).isEqualTo(3);
    }

    @Test
    void aSingleAttemptStillPingsOnce() {
        var check = new AvailabilityCheck(1);
        var exchange = new org.apache.camel.support.DefaultExchange(engine.context());
        assertThat(check.pingAgain(exchange)).isTrue();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
        check.record(exchange);
        assertThat(check.pingAgain(exchange)).isFalse();
    }

    @Test
    void judgesEveryDhis2Case() {
        assertThat(AvailabilityCheck.judge("x", 302).message()).isEqualTo("No authentication was provided");
        assertThat(AvailabilityCheck.judge("x", 500).message()).isEqualTo("Remote server experienced an internal error");
        assertThat(AvailabilityCheck.judge("x", 503).available()).isFalse();
    }
}
