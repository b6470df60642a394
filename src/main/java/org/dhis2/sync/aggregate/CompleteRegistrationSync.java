package org.dhis2.sync.aggregate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.stage.Dhis2UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The complete registration stage's steps (routes/complete-registrations.camel.yaml). DHIS2 can filter registration
 * exports by {@code created} only, so the stage reads the window {@code created >= sync.skipChangedBefore} and sends
 * only registrations whose content fingerprint differs from what central last accepted (or rejected): new, re-dated
 * and un-completed registrations are sent, unchanged ones never. Paged POSTs, judged like data values.
 */
public final class CompleteRegistrationSync {

    public static final String STAGE = "completeRegistrations";
    public static final String KIND = "completeRegistration";
    static final String TALLY = "dhis2sync.registrations";
    static final String PAGE = "dhis2sync.registrationPage";
    static final String ITEM = "dhis2sync.registrationItem";
    private static final String NAME = "Complete data set registration synchronization";
    private static final Logger LOG = LoggerFactory.getLogger(CompleteRegistrationSync.class);
    private static final JsonFactory FACTORY = new JsonFactory();

    private final AggregateBookkeeping bookkeeping;
    private final int pageSize;
    private final Optional<Instant> skipChangedBefore;
    private final String centralUrl;

    public CompleteRegistrationSync(AggregateBookkeeping bookkeeping, int pageSize,
                                    Optional<Instant> skipChangedBefore, String centralUrl) {
        this.bookkeeping = bookkeeping;
        this.pageSize = pageSize;
        this.skipChangedBefore = skipChangedBefore;
        this.centralUrl = centralUrl;
    }

    public void start(Exchange exchange) {
        JobRun run = JobCoordinator.currentRun(exchange, "stage.completeRegistrations");
        exchange.setProperty(TALLY, new StageTally(run, run.progress().startProcess("Starting " + NAME + " job.")));
    }

    /** After local /api/system/info: the export's {@code created} lower bound, in the server's time zone. */
    public String openWindow(Exchange exchange) {
        StageTally t = tally(exchange);
        t.serverNow = ServerTime.fromSystemInfo(exchange.getMessage().getBody(String.class));
        t.from = skipChangedBefore.orElse(Instant.EPOCH);
        return t.serverNow.format(t.from);
    }

    /** Reads the export and keeps the registrations whose fingerprint central has not seen; returns the pages. */
    public List<RegistrationPage> changes(Exchange exchange) throws Exception {
        StageTally t = tally(exchange);
        JobProgress.Stage counting = t.process.startStage("Counting complete data sets", 0,
                JobProgress.FailurePolicy.FAIL);
        Map<String, AggregateBookkeeping.Known> known = bookkeeping.items(KIND);
        List<Registration> changed = new ArrayList<>();
        int total = 0;
        try (InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class);
             JsonParser p = FACTORY.createParser(in)) {
            for (Registration r : read(p)) {
                total++;
                AggregateBookkeeping.Known k = known.get(r.key());
                if (k != null && r.fingerprint().equals(k.fingerprint()) && !"TO_UPDATE".equals(k.state())
                        && !k.resendRequested()) {
                    t.skipped++;
                    continue;
                }
                changed.add(r);
            }
        }
        counting.complete(total + " complete data set registrations created since " + t.serverNow.format(t.from)
                + " found; " + changed.size() + " new or changed");
        List<RegistrationPage> pages = new ArrayList<>();
        int of = (changed.size() + pageSize - 1) / pageSize;
        for (int i = 0; i < changed.size(); i += pageSize) {
            pages.add(new RegistrationPage(pages.size() + 1, of,
                    List.copyOf(changed.subList(i, Math.min(changed.size(), i + pageSize)))));
        }
        t.pagesStage = t.process.startStage(changed.size() + " completed data set registrations to synchronize were "
                + "found.\nRemote server URL for completeness POST synchronization: " + centralUrl
                + "/api/completeDataSetRegistrations", of, JobProgress.FailurePolicy.SKIP_ITEM);
        return pages;
    }

    public byte[] pageBody(Exchange exchange) throws Exception {
        RegistrationPage page = exchange.getMessage().getMandatoryBody(RegistrationPage.class);
        StageTally t = tally(exchange);
        exchange.setProperty(PAGE, page);
        exchange.setProperty(ITEM, t.pagesStage.startItem("Synchronizing page " + page.number() + " of "
                + page.of() + " (" + page.registrations().size() + " registrations)"));
        t.pages = Math.max(t.pages, page.number());
        t.sent += page.registrations().size();
        return page.toJson();
    }

    public void settle(Exchange exchange) {
        StageTally t = tally(exchange);
        RegistrationPage page = exchange.getProperty(PAGE, RegistrationPage.class);
        JobProgress.Item item = exchange.getProperty(ITEM, JobProgress.Item.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        ImportJudgement j = ImportSummaryJudge.judge(status, exchange.getMessage().getBody(String.class));
        if (!j.settlesPage()) {
            unsettled(t, page, item, j.status() + " " + j.description());
            return;
        }
        Map<Integer, ImportJudgement.Conflict> rejected = new HashMap<>();
        for (ImportJudgement.Conflict c : j.conflicts()) {
            boolean hit = false;
            for (int i = 0; i < page.registrations().size(); i++) {
                if (c.indexes().contains(i) || c.indexes().isEmpty() && page.registrations().get(i)
                        .involves(c.object())) {
                    rejected.putIfAbsent(i, c);
                    hit = true;
                }
            }
            if (!hit) {
                unsettled(t, page, item, "central reported a conflict that matches no registration: "
                        + c.object() + " " + c.value());
                return;
            }
        }
        List<AggregateBookkeeping.ItemState> states = new ArrayList<>();
        List<AggregateBookkeeping.ConflictRow> conflicts = new ArrayList<>();
        for (int i = 0; i < page.registrations().size(); i++) {
            Registration r = page.registrations().get(i);
            ImportJudgement.Conflict c = rejected.get(i);
            if (c == null) {
                states.add(new AggregateBookkeeping.ItemState(r.key(), null, "SYNCED", null, r.fingerprint()));
            } else {
                states.add(new AggregateBookkeeping.ItemState(r.key(), null, "ERROR", c.value(), r.fingerprint()));
                conflicts.add(new AggregateBookkeeping.ConflictRow(r.key(), c.object(), c.value(), c.errorCode(),
                        c.property(), "ERROR"));
            }
        }
        bookkeeping.record(KIND, t.run.id(), states, conflicts);
        t.count(j);
        t.conflicts += conflicts.size();
        String summary = j.status() + ": " + j.counts() + (conflicts.isEmpty() ? ""
                : "; " + conflicts.size() + " registrations rejected by central (recorded as conflicts)");
        item.complete(summary);
        LOG.info("Complete registrations page {} of {}: {} sent, {}", page.number(), page.of(),
                page.registrations().size(), summary);
    }

    public void failed(Exchange exchange) {
        StageTally t = tally(exchange);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        unsettled(t, exchange.getProperty(PAGE, RegistrationPage.class), exchange.getProperty(ITEM,
                JobProgress.Item.class), e == null ? "unknown failure" : e.getClass().getSimpleName() + ": "
                + e.getMessage());
    }

    public void finish(Exchange exchange) {
        StageTally t = tally(exchange);
        String counts = t.sent + " registrations in " + t.pages + " pages: " + t.counts() + "; " + t.conflicts
                + " rejected by central and recorded as conflicts; " + t.skipped + " unchanged not re-sent";
        if (t.unsettledPages.isEmpty()) {
            t.pagesStage.complete(counts);
            t.process.complete(t.sent == 0 ? "Skipping completeness synchronization, no new or updated data"
                    : NAME + " is done. " + counts);
            LOG.info("{} done: {}", NAME, counts);
            t.report(STAGE, true);
            return;
        }
        String reason = NAME + " failed: " + t.unsettledValues + " of " + t.sent
                + " complete data set registrations did not arrive (pages " + String.join(", ",
                t.unsettledPages.stream().map(String::valueOf).toList()) + "). "
                + String.join("; ", t.unsettledReasons);
        t.pagesStage.fail(reason);
        t.process.fail(reason);
        t.run.recordFailure(reason);
        t.report(STAGE, false);
        LOG.warn(reason);
    }

    public void stageFailed(Exchange exchange) {
        StageTally t = tally(exchange);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = e instanceof Dhis2UnavailableException
                ? NAME + " failed. Remote server is unavailable. " + e.getMessage()
                : NAME + " failed: " + (e == null ? "unknown failure" : e.getMessage());
        if (t.pagesStage != null) {
            t.pagesStage.fail(reason);
        }
        t.process.fail(reason);
        t.run.recordFailure(reason);
        t.report(STAGE, false);
        LOG.warn(reason);
    }

    private void unsettled(StageTally t, RegistrationPage page, JobProgress.Item item, String reason) {
        if (page == null) {
            return;
        }
        t.unsettled(page.number(), page.registrations().size(), Long.MAX_VALUE, reason);
        if (item != null) {
            item.fail("Page " + page.number() + " synchronisation failed: " + reason);
        }
        LOG.warn("Complete registrations page {} of {}: {} registrations did not settle: {}", page.number(),
                page.of(), page.registrations().size(), reason);
    }

    /** The export's registrations ({@code {}} when there are none, as DHIS2 writes an empty export). */
    static List<Registration> read(JsonParser p) throws IOException {
        List<Registration> list = new ArrayList<>();
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("the registration export is not a JSON object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (!field.equals("completeDataSetRegistrations") || t != JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String ds = null, pe = null, ou = null, aoc = null, date = null, storedBy = null;
                boolean completed = true;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    JsonToken v = p.nextToken();
                    String text = v == JsonToken.VALUE_NULL || v.isStructStart() ? null : p.getText();
                    if (v.isStructStart()) {
                        p.skipChildren();
                    }
                    switch (f) {
                        case "dataSet" -> ds = text;
                        case "period" -> pe = text;
                        case "organisationUnit" -> ou = text;
                        case "attributeOptionCombo" -> aoc = text;
                        case "date" -> date = text;
                        case "storedBy" -> storedBy = text;
                        case "completed" -> completed = v != JsonToken.VALUE_FALSE;
                        default -> { }
                    }
                }
                list.add(new Registration(ds, pe, ou, aoc, date, storedBy, completed));
            }
        }
        return list;
    }

    private static StageTally tally(Exchange exchange) {
        return exchange.getProperty(TALLY, StageTally.class);
    }
}
