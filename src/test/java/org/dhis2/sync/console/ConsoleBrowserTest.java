package org.dhis2.sync.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.dhis2.sync.config.SyncSettings;
import org.slf4j.LoggerFactory;
import org.dhis2.sync.engine.Engine;
import org.dhis2.sync.engine.TestEngines;
import org.dhis2.sync.sandbox.AggregateStore;
import org.dhis2.sync.sandbox.Dhis2Version;
import org.dhis2.sync.sandbox.GeneratorSpec;
import org.dhis2.sync.sandbox.MetadataVersion;
import org.dhis2.sync.sandbox.MetadataVersionStore;
import org.dhis2.sync.sandbox.SandboxGenerator;
import org.dhis2.sync.sandbox.SandboxPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The operator console in a real headless Chromium against a real engine (embedded PostgreSQL, sandbox DHIS2 pair,
 * real HTTP). One story: anonymous requests get the login page and Jolokia 401; log in; the jobs; run one now and
 * watch it finish; its run detail; open the conflict a rejected value left; resend its object and see it SYNCED after
 * the next run; metadata versions and charts; a state-changing call with the session cookie but no CSRF token is
 * refused; log out. Each page is saved under target/console-screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    static final String USER = "ops";
    static final String PASSWORD = "C0ns0le-Pa55-" + "w8Kd";
    static final String TOKEN = "tok-" + "9a8b7c6d5e4f30211f2e3d4c5b6a7980";
    static final List<String> PAGES = List.of("/console", "/console/", "/console/index.html", "/console/run.html",
            "/console/conflicts.html", "/console/objects.html", "/console/metadata.html", "/console/charts.html",
            "/console/console.js", "/console/webjars/chart.js/4.4.1/dist/chart.umd.js", "/console/nothing-here");

    @TempDir
    static Path temp;
    SandboxPair pair;
    Engine engine;
    Browser browser;
    String base;
    ConsoleHttp http;
    AggregateStore.DataValue rejected;
    ListAppender<ILoggingEvent> log;
    final List<String> pages = new java.util.ArrayList<>();
    final List<String> sessionSecrets = new java.util.ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
        pair = SandboxPair.start(Dhis2Version.of(42), Dhis2Version.of(42));
        SandboxGenerator.populate(pair, GeneratorSpec.small());
        Map<String, String> props = new HashMap<>(Map.of(
                "local.url", pair.localServer().url(), "central.url", pair.centralServer().url(),
                "sync.availability.attempts", "2", "sync.availability.delayMillis", "1",
                "sync.dataValues.pageSize", "50",
                "sync.admin.username", USER, "sync.admin.password", PASSWORD, "sync.admin.token", TOKEN));
        props.put("sync.health.dhis2.cacheSeconds", "0"); // the metadata page shows central's versions at once
        engine = Engine.start(SyncSettings.forRun(TestEngines.properties(temp.resolve("pg"),
                TestEngines.routesWith(temp), props)));
        base = "http://127.0.0.1:" + engine.settings().managementPort();
        http = new ConsoleHttp(base);
        browser = new Browser(base);
        rejected = pair.local().aggregate().values().stream().filter(x -> !x.deleted() && x.value().matches("\\d+"))
                .skip(3).findFirst().orElseThrow();
    }

    @AfterAll
    void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        if (browser != null) {
            browser.close();
        }
        if (engine != null) {
            engine.close();
        }
        pair.close();
    }

    @Test
    @Order(1)
    void anonymousRequestsGetTheLoginPageAndJolokia401() throws Exception {
        for (String page : PAGES) {
            HttpResponse<String> r = http.send("GET", page, null, null, null);
            assertThat(r.statusCode()).as(page).isEqualTo(302);
            assertThat(r.headers().firstValue("Location")).as(page).hasValue("/console/login");
        }
        assertThat(http.send("POST", "/console/logout", null, null, null).statusCode()).isEqualTo(302);
        HttpResponse<String> login = http.send("GET", "/console/login", null, null, null);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("<form method=\"post\" action=\"/console/login\"");
        for (String jolokia : List.of("/observe/jolokia", "/observe/jolokia/", "/observe/jolokia/version",
                "/observe/jolokia/read/java.lang:type=Memory/HeapMemoryUsage", "/observe/jolokia/list")) {
            assertThat(http.send("GET", jolokia, null, null, null).statusCode()).as(jolokia).isEqualTo(401);
            assertThat(http.send("POST", jolokia, null, null, null).statusCode()).as(jolokia).isEqualTo(401);
        }
        browser.open("/console/objects.html");
        browser.find("#login");
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(base + "/console/login");
        shot("01-login");
    }

    @Test
    @Order(2)
    void aWrongLoginIsRefusedAndTheRightOneShowsTheJobs() throws Exception {
        login(USER, PASSWORD + "x");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/login?failed");
        browser.until(d -> d.findElement(By.id("failed")).isDisplayed() ? Boolean.TRUE : null);

        login(USER, PASSWORD);
        browser.find("#jobs-table");
        assertThat(browser.texts("#jobs-table .job-link"))
                .contains("DATA_SYNC", "EVENT_PROGRAMS_DATA_SYNC", "TRACKER_PROGRAMS_DATA_SYNC", "META_DATA_SYNC");
        assertThat(browser.text("#status-DATA_SYNC")).isEqualTo("NOT_STARTED");
        shot("02-overview");
    }

    @Test
    @Order(3)
    void runNowShowsTheLiveTreeUntilTheRunFinishes() throws Exception {
        pair.central().faults().rejectedUids().add(rejected.orgUnit());
        pair.central().faults().setLatency(Duration.ofMillis(150));
        try {
            browser.click("#run-DATA_SYNC");
            // while it runs, its pages fill in the live tree
            browser.until(d -> d.findElements(By.cssSelector("#live-tree .tree-item")).size() > 0);
            shot("03-running");
            browser.until(d -> d.findElement(By.id("live-job")).getText().equals("DATA_SYNC (finished)"));
        } finally {
            pair.central().faults().setLatency(Duration.ZERO);
        }
        // a rejected value fails the run
        browser.until(d -> d.findElement(By.id("status-DATA_SYNC")).getText().equals("FAILED"));
        assertThat(browser.text("#live-tree")).contains("Synchronizing page 1");
        shot("04-finished");
    }

    @Test
    @Order(4)
    void runDetailShowsTheTimelineAndTheRequestLedger() throws Exception {
        browser.until(d -> {
            var link = d.findElements(By.cssSelector("#jobs-table .job-link")).stream()
                    .filter(a -> a.getText().equals("DATA_SYNC")).findFirst();
            link.ifPresent(WebElement::click);
            return link.isPresent() ? Boolean.TRUE : null;
        });
        browser.find("#requests-table");
        assertThat(browser.text("#run-status")).isEqualTo("FAILED");
        int bars = browser.until(d -> d.findElements(By.cssSelector("#tree .timeline .bar")).size());
        assertThat(bars).isGreaterThan(3);
        assertThat(browser.text("#tree")).contains("Synchronizing page 1").contains("imported");
        assertThat(browser.text("#requests-table")).contains("POST /api/dataValueSets");
        shot("05-run-detail");
    }

    @Test
    @Order(5)
    void aConflictLeadsToItsObjectWhichIsSyncedAfterResendAndTheNextRun() throws Exception {
        String key = rejected.dataElement() + '|' + rejected.period() + '|' + rejected.orgUnit() + '|'
                + rejected.categoryOptionCombo() + '|' + rejected.attributeOptionCombo();
        browser.click("#nav-conflicts");
        browser.find("#conflicts-table");
        browser.find("#f-code").sendKeys("E7612");
        browser.find("#f-job").sendKeys("DATA_SYNC");
        browser.click("#f-apply");
        browser.until(d -> String.valueOf(d.findElement(By.id("count")).getDomAttribute("data-query"))
                .contains("errorCode=E7612&job="));
        assertThat(browser.text("#count")).matches("(\\d+) shown of \\1 matching");
        browser.until(d -> d.findElements(By.cssSelector("#conflicts-table tbody tr")).stream()
                .anyMatch(r -> r.getText().contains(key)) ? Boolean.TRUE : null);
        assertThat(browser.texts("#conflicts-table tbody tr")).allSatisfy(r -> assertThat(r).contains("E7612"));
        shot("06-conflicts");

        browser.until(d -> { // the row of the rejected value, found again if the table was redrawn
            var row = d.findElements(By.cssSelector("#conflicts-table tbody tr")).stream()
                    .filter(r -> r.getText().contains(key)).findFirst();
            row.ifPresent(r -> r.findElement(By.cssSelector(".object-link")).click());
            return row.isPresent() ? Boolean.TRUE : null;
        });
        browser.until(d -> d.findElements(By.cssSelector("#items-table tbody tr")).size() == 1);
        assertThat(browser.text("#items-table .uid")).isEqualTo(key);
        assertThat(browser.text("#items-table .state")).isEqualTo("ERROR");
        shot("07-object");

        pair.central().faults().rejectedUids().clear();
        browser.click("#items-table .resend");
        browser.driver.switchTo().alert().accept();
        browser.until(d -> d.findElement(By.id("items-table")).getText().contains("yes"));
        browser.click("#nav-index");
        browser.click("#run-DATA_SYNC");
        browser.until(d -> d.findElement(By.id("live-job")).getText().equals("DATA_SYNC (finished)"));
        browser.until(d -> d.findElement(By.id("status-DATA_SYNC")).getText().equals("SUCCESS"));

        browser.open("/console/objects.html?pair=default&kind=dataValue&uid="
                + URLEncoder.encode(key, StandardCharsets.UTF_8));
        browser.until(d -> d.findElements(By.cssSelector("#items-table tbody tr")).size() == 1);
        assertThat(browser.text("#items-table .state")).isEqualTo("SYNCED");
        shot("08-object-synced");
    }

    @Test
    @Order(6)
    void metadataVersionsAndChartsRender() throws Exception {
        String system = Dhis2Version.of(42).toString();
        MetadataVersionStore central = pair.central().metadataVersions();
        central.add(MetadataVersion.Type.BEST_EFFORT, snapshot(system, "ConsoleOk01"));
        central.add(MetadataVersion.Type.BEST_EFFORT, snapshot(system, "ConsoleTwo1"));
        central.add(MetadataVersion.Type.BEST_EFFORT, snapshot(system, "ConsoleLate"));
        browser.click("#nav-index");
        browser.click("#run-META_DATA_SYNC");
        browser.until(d -> d.findElement(By.id("live-job")).getText().equals("META_DATA_SYNC (finished)"));
        browser.click("#nav-metadata");
        browser.until(d -> d.findElement(By.id("pending")).getText().contains("pending on central"));
        browser.find("#versions-table");
        assertThat(browser.driver.findElements(By.cssSelector("#versions-table tbody tr")).size())
                .isGreaterThanOrEqualTo(3);
        assertThat(browser.text("#versions-table")).contains("IMPORTED");
        // every version central has was imported: none pending, and local's newest is central's
        String newest = central.currentVersionName().orElseThrow();
        assertThat(browser.text("#pending")).contains("pending on central: 0").contains("Local version " + newest)
                .contains("central " + newest);
        shot("09-metadata");

        browser.click("#nav-charts");
        browser.find("#lag-table");
        browser.until(d -> d.findElements(By.cssSelector("#charts canvas")).size() >= 2);
        assertThat(browser.text("#charts")).contains("DATA_SYNC: ");
        shot("10-charts");
        ((org.openqa.selenium.JavascriptExecutor) browser.driver)
                .executeScript("document.getElementById('charts').scrollIntoView()");
        shot("10-charts-stages");
    }

    @Test
    @Order(7)
    void withTheSessionCookieAStateChangingCallNeedsTheCsrfToken() throws Exception {
        HttpResponse<String> login = http.send("POST", "/console/login", null, null,
                "token=" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8));
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValue("/console/");
        List<String> cookies = login.headers().allValues("Set-Cookie");
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith(ConsoleSessions.COOKIE + "=")
                .contains("HttpOnly").contains("SameSite=Strict"));
        String session = ConsoleHttp.cookieValue(cookies, ConsoleSessions.COOKIE);
        String csrf = ConsoleHttp.cookieValue(cookies, ConsoleSessions.CSRF_COOKIE);
        String cookie = ConsoleSessions.COOKIE + "=" + session;
        sessionSecrets.add(session);
        sessionSecrets.add(csrf);
        assertThat(cookies).noneMatch(c -> c.contains("Secure")); // plain HTTP: a Secure cookie would never return
        // behind an HTTPS reverse proxy that says so, both cookies are Secure
        HttpResponse<String> viaProxy = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(base + "/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-Proto", "https")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token="
                        + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(viaProxy.headers().allValues("Set-Cookie")).hasSize(2).allSatisfy(c -> assertThat(c)
                .endsWith("; Secure"));
        sessionSecrets.add(ConsoleHttp.cookieValue(viaProxy.headers().allValues("Set-Cookie"), ConsoleSessions.COOKIE));

        assertThat(http.send("GET", "/api/jobs", cookie, null, null).statusCode()).isEqualTo(200);
        assertThat(http.send("GET", "/console/", cookie, null, null).statusCode()).isEqualTo(200);
        for (String path : List.of("/api/jobs/DATA_SYNC/execute", "/api/pairs/default/jobs/DATA_SYNC/execute",
                "/api/sync/items/EVENT/x/resend", "/console/logout")) {
            assertThat(http.send("POST", path, cookie, null, null).statusCode()).as(path).isEqualTo(403);
            assertThat(http.send("POST", path, cookie, csrf + "x", null).statusCode()).as(path).isEqualTo(403);
        }
        // the console's own reads, with the cookie
        HttpResponse<String> daily = http.send("GET", "/api/stats/daily?days=30", cookie, null, null);
        assertThat(daily.statusCode()).isEqualTo(200);
        assertThat(daily.body()).contains("\"stage\":\"DATA_SYNC: Starting DataValueSynchronization job\"")
                .containsPattern("\"objectsSent\":[1-9]");
        assertThat(http.send("GET", "/api/stats/daily?days=0", cookie, null, null).statusCode()).isEqualTo(400);
        assertThat(http.send("GET", "/api/pairs/default/jobs/runs/nope", cookie, null, null).statusCode())
                .isEqualTo(404);
        assertThat(http.send("GET", "/api/pairs/default/metadata/versions", cookie, null, null).body())
                .contains("\"status\":\"IMPORTED\"");
        // the conflict filters the console uses
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        String yesterday = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1).toString();
        assertThat(http.conflicts(cookie, "errorCode=E7612&job=DATA_SYNC&since=" + today + "&until=" + today))
                .isGreaterThan(0);
        assertThat(http.conflicts(cookie, "errorCode=E7612"))
                .isEqualTo(http.conflicts(cookie, "errorCode=E7612&kind=dataValue")
                + http.conflicts(cookie, "errorCode=E7612&kind=completeRegistration")
                + http.conflicts(cookie, "errorCode=E7612&kind=dataValueSet"));
        assertThat(http.conflicts(cookie, "errorCode=E0000")).isZero();
        assertThat(http.conflicts(cookie, "job=EVENT_PROGRAMS_DATA_SYNC")).isZero();
        assertThat(http.conflicts(cookie, "since=" + tomorrow)).isZero();
        assertThat(http.conflicts(cookie, "until=" + yesterday)).isZero();
        assertThat(http.send("GET", "/api/sync/conflicts?since=soon", cookie, null, null).statusCode()).isEqualTo(400);
        // with the token the call goes through (an unknown object: 404, nothing resent)
        assertThat(http.send("POST", "/api/sync/items/EVENT/x/resend", cookie, csrf, null).statusCode()).isEqualTo(404);
        assertThat(http.send("POST", "/console/logout", cookie, csrf, null).statusCode()).isEqualTo(204);
        assertThat(http.send("GET", "/api/jobs", cookie, null, null).statusCode()).as("logged out").isEqualTo(401);
        assertThat(http.send("GET", "/console/", cookie, null, null).statusCode()).isEqualTo(302);
        assertThat(http.send("GET", "/observe/jolokia/version", cookie, null, null).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(8)
    void logoutEndsTheSession() throws Exception {
        browser.open("/console/");
        browser.click("#logout");
        browser.find("#login");
        browser.open("/console/charts.html");
        browser.find("#login");
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(base + "/console/login");
        shot("11-logged-out");
    }

    /** A metadata version snapshot with one option set (as MetadataVersionsJobTest makes them). */
    private static String snapshot(String systemVersion, String optionSet) {
        return "{\"system\":{\"id\":\"sys\",\"rev\":\"abc\",\"version\":\"" + systemVersion
                + "\",\"date\":\"2024-05-01T00:00:00.000\"},\"optionSets\":[{\"id\":\"" + optionSet
                + "\",\"name\":\"" + optionSet + "\",\"code\":\"" + optionSet.toUpperCase()
                + "\",\"valueType\":\"TEXT\"}]}";
    }

    @Test
    @Order(9)
    void noSecretInAnyLogLineOrPage() {
        List<String> secrets = new java.util.ArrayList<>(List.of(PASSWORD, TOKEN));
        secrets.addAll(sessionSecrets);
        assertThat(log.list).isNotEmpty();
        for (ILoggingEvent e : log.list) {
            String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                    : e.getThrowableProxy().getMessage());
            secrets.forEach(secret -> assertThat(line).doesNotContain(secret));
        }
        assertThat(pages).hasSizeGreaterThan(8);
        for (String page : pages) {
            secrets.forEach(secret -> assertThat(page).doesNotContain(secret));
        }
    }

    /** Saves the page's screenshot; a page whose admin API call failed shows #error, which must stay hidden. */
    private void shot(String name) throws Exception {
        browser.screenshot(name);
        assertThat(browser.driver.findElements(By.cssSelector("#error")).stream().filter(WebElement::isDisplayed)
                .map(WebElement::getText)).as("error shown on " + name).isEmpty();
        pages.add(browser.driver.getPageSource());
    }

    /** Submits the login form and waits until the browser left the form's page (for the failure page or the
     * overview), so nothing is looked up on the page being replaced. */
    private void login(String user, String password) {
        browser.open("/console/login");
        browser.find("#username").sendKeys(user);
        browser.find("#password").sendKeys(password);
        browser.click("#submit");
        browser.until(d -> d.getCurrentUrl().equals(base + "/console/login") ? null : Boolean.TRUE);
    }

}
