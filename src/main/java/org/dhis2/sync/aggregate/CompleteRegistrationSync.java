package org.dhis2.sync.aggregate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

    /** The exchange property the POST route reads: {@code CREATE_AND_UPDATE}, or {@code DELETE} for deletions. */
    public static final String IMPORT_STRATEGY = "registrationImportStrategy";
    private static final String SCOPE = STAGE + ".scope";

    private final int pageSize;
    private final Optional<Instant> skipChangedBefore;
    private final String centralUrl;
    private final OverlapMemory memory;

    public CompleteRegistrationSync(AggregateBookkeeping bookkeeping, OverlapMemory memory, int pageSize,
                                    Optional<Instant> skipChangedBefore, String centralUrl,
                                    org.dhis2.sync.load.AdaptivePageSizes pageSizes, int minPageSize) {
        super(bookkeeping, STAGE, KIND, NAME, "registrations", RegistrationPage.class, pageSizes, minPageSize);
        this.memory = memory;
        this.pageSize = pageSize;
        this.skipChangedBefore = skipChangedBefore;
        this.centralUrl = centralUrl;
    }

    @Override
    protected RegistrationPage part(RegistrationPage page, List<Registration> registrations) {
        return new RegistrationPage(page.number(), page.of(), registrations);
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
    public java.util.Iterator<RegistrationPage> changes(Exchange exchange) throws Exception {
        StageTally t = tally(exchange);
        JobProgress.Stage counting = t.process.startStage("Counting complete data sets", 0,
                JobProgress.FailurePolicy.FAIL);
        Map<String, AggregateBookkeeping.Known> known = bookkeeping.items(KIND);
        List<Registration> changed = new ArrayList<>();
        Set<String> onLocal = new HashSet<>();
        int total = 0;
        try (InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class);
             JsonParser p = FACTORY.createParser(in)) {
            for (Registration r : read(p)) {
                total++;
                onLocal.add(r.key());
                AggregateBookkeeping.Known k = known.get(r.key());
                if (k != null && r.fingerprint().equals(k.fingerprint()) && !"TO_UPDATE".equals(k.state())
                        && !k.resendRequested()) {
                    t.skipped++;
                    continue;
                }
                changed.add(r);
            }
        }
        List<Registration> deleted = deletions(t, exchange.getVariable("scopeQuery", String.class), known, onLocal);
        counting.complete(total + " complete data set registrations created since " + t.serverNow.format(t.from)
                + " found; " + changed.size() + " new or changed; " + deleted.size() + " deleted on local");
        int pageSize = startPageSize(this.pageSize);
        int of = (changed.size() + pageSize - 1) / pageSize + (deleted.size() + pageSize - 1) / pageSize;
        List<RegistrationPage> pages = new ArrayList<>();
        for (List<Registration> list : List.of(changed, deleted)) {
            for (int i = 0; i < list.size(); i += pageSize) {
                pages.add(new RegistrationPage(pages.size() + 1, of,
                        List.copyOf(list.subList(i, Math.min(list.size(), i + pageSize)))));
            }
        }
        t.pagesStage = t.process.startStage(changed.size() + " completed data set registrations to synchronize were "
                + "found.\nRemote server URL for completeness POST synchronization: " + centralUrl
                + "/api/completeDataSetRegistrations" + (deleted.isEmpty() ? "" : "\n" + deleted.size()
                + " registrations deleted on local to delete on central (importStrategy=DELETE)"), of,
                JobProgress.FailurePolicy.SKIP_ITEM);
        return untilStopped(t, pages.iterator());
    }

    /**
     * Registrations central holds (by the bookkeeping) that the local export no longer has: DHIS2 deletes a
     * registration for good and exports no deleted ones, so absence from the export of the same scope is the only
     * sign. Only when the scope (data sets, org units, {@code created} lower bound) is the one of the previous run:
     * after a scope change, registrations that left it are forgotten (marked gone), never deleted on central.
     */
    private List<Registration> deletions(StageTally t, String scopeQuery, Map<String, AggregateBookkeeping.Known> known,
                                         Set<String> onLocal) {
        String scope = Registration.fingerprintOfText(scopeQuery + "|" + t.from);
        OverlapMemory.Sent previous = memory.load(SCOPE).get("scope");
        boolean sameScope = previous != null && previous.fingerprint().equals(scope);
        List<Registration> deleted = new ArrayList<>();
        List<AggregateBookkeeping.ItemState> forgotten = new ArrayList<>();
        for (Map.Entry<String, AggregateBookkeeping.Known> e : known.entrySet()) {
            String fingerprint = e.getValue().fingerprint();
            if (onLocal.contains(e.getKey()) || fingerprint == null || Registration.GONE.equals(fingerprint)) {
                continue;
            }
            if (sameScope) {
                deleted.add(Registration.deletionOf(e.getKey()));
            } else {
                forgotten.add(new AggregateBookkeeping.ItemState(e.getKey(), null, "SYNCED", null, Registration.GONE));
            }
        }
        bookkeeping.record(KIND, t.run.id(), forgotten, List.of());
        if (!sameScope) {
            memory.remember(SCOPE, List.of(new OverlapMemory.Row("scope", t.serverNow.instant().toEpochMilli(),
                    scope)));
        }
        return deleted;
    }

    /** Before the POST: the page's body, and the import strategy its route sends (DELETE for deletions). */
    @Override
    public byte[] pageBody(Exchange exchange) throws Exception {
        RegistrationPage page = exchange.getMessage().getMandatoryBody(RegistrationPage.class);
        exchange.setProperty(IMPORT_STRATEGY, page.deletions() ? "DELETE" : "CREATE_AND_UPDATE");
        return super.pageBody(exchange);
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
        String fingerprint = r.deletion() ? Registration.GONE : r.fingerprint();
        return c == null ? new AggregateBookkeeping.ItemState(r.key(), null, "SYNCED", null, fingerprint)
                : new AggregateBookkeeping.ItemState(r.key(), null, "ERROR", c.value(), fingerprint);
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
