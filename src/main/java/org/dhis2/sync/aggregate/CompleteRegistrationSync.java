package org.dhis2.sync.aggregate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.dhis2.sync.job.JobProgress;

/**
 * The complete registration stage's steps (routes/complete-registrations.camel.yaml). DHIS2 can filter registration
 * exports by {@code created} only, so the stage reads the window {@code created >= sync.skipChangedBefore} and sends
 * only registrations whose content fingerprint differs from what central last accepted (or rejected): new, re-dated
 * and un-completed registrations are sent, unchanged ones never. Paged POSTs, judged like data values.
 */
public final class CompleteRegistrationSync extends PagedPushStage<Registration, RegistrationPage> {

    public static final String STAGE = "completeRegistrations";
    public static final String KIND = "completeRegistration";
    private static final String NAME = "Complete data set registration synchronization";
    private static final JsonFactory FACTORY = new JsonFactory();

    private final int pageSize;
    private final Optional<Instant> skipChangedBefore;
    private final String centralUrl;

    public CompleteRegistrationSync(AggregateBookkeeping bookkeeping, int pageSize,
                                    Optional<Instant> skipChangedBefore, String centralUrl) {
        super(bookkeeping, STAGE, KIND, NAME, "registrations", RegistrationPage.class);
        this.pageSize = pageSize;
        this.skipChangedBefore = skipChangedBefore;
        this.centralUrl = centralUrl;
    }

    @Override
    protected String startDescription() {
        return "Starting " + NAME + " job.";
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

    @Override
    protected String pageDescription(RegistrationPage page) {
        return "Synchronizing page " + page.number() + " of " + page.of() + " (" + page.registrations().size()
                + " registrations)";
    }

    @Override
    protected String pageLabel(RegistrationPage page) {
        return "Complete registrations page " + page.number() + " of " + page.of();
    }

    /** Accepted or rejected, the registration's fingerprint is kept: it is not sent again until it changes. */
    @Override
    protected AggregateBookkeeping.ItemState judged(StageTally t, Registration r, ImportJudgement.Conflict c) {
        return c == null ? new AggregateBookkeeping.ItemState(r.key(), null, "SYNCED", null, r.fingerprint())
                : new AggregateBookkeeping.ItemState(r.key(), null, "ERROR", c.value(), r.fingerprint());
    }

    public void finish(Exchange exchange) {
        StageTally t = tally(exchange);
        String counts = counts(t, "registrations") + "; " + t.skipped + " unchanged not re-sent";
        end(t, "complete data set registration", counts, t.sent == 0
                        ? "Skipping completeness synchronization, no new or updated data"
                        : NAME + " is done. " + counts,
                NAME + " failed: ");
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
}
