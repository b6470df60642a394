package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /api/dataValueSets}: the body is read with a streaming parser into compact records (no JSON tree),
 * then judged and stored in one write-locked pass, as DHIS2's DefaultDataValueSetService does: set-level failures
 * abort the import (ERROR), per-value failures ignore the value with a conflict (WARNING).
 */
final class AggregateDataValueImport {


    /** Set-level fields of a dataValueSet. */
    static final class Header {
        String dataSet;
        String completeDate;
        String period;
        String orgUnit;
        String attributeOptionCombo;
    }

    /** One incoming value, as parsed (nulls where the payload had none). */
    record Incoming(String dataElement, String period, String orgUnit, String categoryOptionCombo,
                    String attributeOptionCombo, String value, String comment, Boolean followup, String storedBy,
                    String created, String lastUpdated, Boolean deleted) {
    }

    private final Dhis2Instance instance;
    private final AggregateMetadata metadata;
    private final AggregateValueChecks checks;

    AggregateDataValueImport(Dhis2Instance instance) {
        this.instance = instance;
        this.metadata = new AggregateMetadata(instance);
        this.checks = new AggregateValueChecks(instance, metadata);
    }

    void handle(SandboxRequest request, SandboxResponse response) {
        String strategy = AggregateApi.importStrategy(request);
        boolean dryRun = request.flag("dryRun", false);
        AggregateImportSummary summary = new AggregateImportSummary(strategy, dryRun,
                request.flag("async", false), !instance.version().atLeast(37)).of(instance.version());
        Header header = new Header();
        List<Incoming> values = new ArrayList<>();
        try (InputStream in = request.bodyStream()) {
            if (request.header("Content-Type").orElse("").toLowerCase(java.util.Locale.ROOT)
                    .startsWith("application/csv")) {
                AggregateCsvReader.read(in, request.flag("firstRowIsHeader", true),
                        request.param("dataSet").orElse(null), header, values);
            } else {
                try (JsonParser parser = SandboxJson.FACTORY.createParser(in)) {
                    parse(parser, header, values);
                }
            }
        } catch (IOException | RuntimeException e) {
            // DHIS2 reports an unreadable body as a failed import, not as a 400
            summary.abort();
            AggregateApi.answer(request, response, instance, summary.toJson()
                    .put("description", "The import process failed: " + e.getMessage()));
            return;
        }
        importValues(header, values, strategy, dryRun, summary);
        AggregateApi.answer(request, response, instance, summary.toJson());
    }

    // ---------------------------------------------------------------- parsing

    static void parse(JsonParser p, Header header, List<Incoming> values) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("Expected a dataValueSet object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "dataSet" -> header.dataSet = text(p, t);
                case "completeDate", "completedDate" -> header.completeDate = text(p, t);
                case "period" -> header.period = text(p, t);
                case "orgUnit" -> header.orgUnit = text(p, t);
                case "attributeOptionCombo" -> header.attributeOptionCombo = text(p, t);
                case "dataValues" -> {
                    if (t == JsonToken.START_ARRAY) {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            values.add(parseValue(p));
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private static Incoming parseValue(JsonParser p) throws IOException {
        String de = null, pe = null, ou = null, coc = null, aoc = null, value = null, comment = null;
        String storedBy = null, created = null, lastUpdated = null;
        Boolean followup = null, deleted = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "dataElement" -> de = text(p, t);
                case "period" -> pe = text(p, t);
                case "orgUnit" -> ou = text(p, t);
                case "categoryOptionCombo" -> coc = text(p, t);
                case "attributeOptionCombo" -> aoc = text(p, t);
                case "value" -> value = text(p, t);
                case "comment" -> comment = text(p, t);
                case "storedBy" -> storedBy = text(p, t);
                case "created" -> created = text(p, t);
                case "lastUpdated" -> lastUpdated = text(p, t);
                case "followup", "followUp" -> followup = bool(p, t);
                case "deleted" -> deleted = bool(p, t);
                default -> p.skipChildren();
            }
        }
        return new Incoming(de, pe, ou, coc, aoc, value, comment, followup, storedBy, created, lastUpdated, deleted);
    }

    private static String text(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        return p.getText();
    }

    private static Boolean bool(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_STRING -> Boolean.parseBoolean(p.getText());
            case VALUE_NULL -> null;
            default -> {
                p.skipChildren();
                yield null;
            }
        };
    }

    // ---------------------------------------------------------------- judging and storing

    private void importValues(Header header, List<Incoming> values, String strategy, boolean dryRun,
                              AggregateImportSummary summary) {
        Set<String> rejected = instance.faults().rejectedUids();
        if (header.dataSet != null && (!metadata.dataSetExists(header.dataSet) || rejected.contains(header.dataSet))) {
            summary.conflict(-1, header.dataSet, AggregateApi.objects("dataSet", header.dataSet),
                    "Data set not found or not accessible: `" + header.dataSet + "`", "E7600", "dataSet");
        } else if (header.orgUnit != null
                && (!metadata.orgUnitExists(header.orgUnit) || rejected.contains(header.orgUnit))) {
            summary.conflict(-1, header.orgUnit, AggregateApi.objects("orgUnit", header.orgUnit),
                    "Org unit not found or not accessible: `" + header.orgUnit + "`", "E7603", "orgUnit");
        } else if (header.attributeOptionCombo != null
                && !metadata.categoryOptionComboExists(header.attributeOptionCombo)) {
            summary.conflict(-1, header.attributeOptionCombo,
                    AggregateApi.objects("attributeOptionCombo", header.attributeOptionCombo),
                    "Attribute option combo not found or not accessible: `" + header.attributeOptionCombo + "`",
                    "E7604", "attributeOptionCombo");
        }
        if (summary.status().equals("WARNING")) {
            summary.abort();
            summary.ignored = values.size();
            return;
        }
        boolean keepPayloadDates = !instance.version().atLeast(41); // DHIS2-8084: 2.41 ignores supplied dates
        boolean ignoreUnchanged = instance.version().atLeast(41); // dataValueUpdateShouldBeIgnored (2.41+)
        String defaultCoc = metadata.defaultCoc();
        // one timestamp per import, taken before the values are read, stored to the whole second
        // (DataValueBatchHandler writes created/lastUpdated with DateUtils.toLongDate, "yyyy-MM-dd HH:mm:ss");
        // the values become visible when the import commits, after the whole set was processed
        Instant now = wholeSecond(instance.clock().tick());
        pauseUntilCommit();
        instance.aggregate().write(store -> {
            for (int i = 0; i < values.size(); i++) {
                Incoming in = values.get(i);
                String pe = in.period() != null ? in.period() : header.period;
                String ou = in.orgUnit() != null ? in.orgUnit() : header.orgUnit;
                String coc = in.categoryOptionCombo() != null ? in.categoryOptionCombo() : defaultCoc;
                String aoc = in.attributeOptionCombo() != null ? in.attributeOptionCombo()
                        : header.attributeOptionCombo != null ? header.attributeOptionCombo : defaultCoc;
                boolean deleting = "DELETE".equals(strategy) || Boolean.TRUE.equals(in.deleted())
                        || (isEmpty(in.value()) && isEmpty(in.comment()));
                if (!checks.valid(i, in, pe, ou, coc, aoc, deleting, rejected, summary)) {
                    summary.ignored++;
                    continue;
                }
                AggregateStore.DataValue existing = store.find(in.dataElement(), pe, ou, coc, aoc);
                boolean live = existing != null && !existing.deleted();
                if (live && deleting && !"CREATE".equals(strategy)) { // saveDataValueDelete / Update as delete
                    summary.deleted++;
                    if (!dryRun) {
                        store.put(new AggregateStore.DataValue(existing.dataElement(), pe, ou, coc, aoc,
                                existing.value(), existing.comment(), existing.followup(), existing.storedBy(),
                                existing.created(), now, true));
                    }
                    continue;
                }
                if ((live && "CREATE".equals(strategy)) || (!live && !"CREATE".equals(strategy)
                        && !"CREATE_AND_UPDATE".equals(strategy))) {
                    summary.ignored++;
                    continue;
                }
                if (!live && isEmpty(in.value()) && isEmpty(in.comment())) {
                    summary.ignored++; // saveDataValueCreate: a null value is ignored
                    continue;
                }
                if (live && ignoreUnchanged && java.util.Objects.equals(existing.value(), in.value())
                        && java.util.Objects.equals(existing.comment(), in.comment())
                        && existing.followup() == (in.followup() != null && in.followup())) {
                    summary.ignored++; // 2.41+: an update that changes nothing is ignored, lastUpdated kept
                    continue;
                }
                if (live) {
                    summary.updated++;
                } else {
                    // saveDataValueCreate: new, or a soft-deleted value that comes back, counts as imported; so
                    // does a value posted with deleted=true that central never had: it is stored as deleted
                    summary.imported++;
                }
                if (!dryRun) {
                    Instant created = keepPayloadDates && in.created() != null ? date(in.created(), null) : null;
                    if (created == null) {
                        created = existing != null ? existing.created() : now;
                    }
                    Instant lastUpdated = keepPayloadDates && in.lastUpdated() != null
                            ? date(in.lastUpdated(), now) : now;
                    created = wholeSecond(created);
                    lastUpdated = wholeSecond(lastUpdated);
                    boolean followup = in.followup() != null ? in.followup() : live && existing.followup();
                    String storedBy = isEmpty(in.storedBy()) ? instance.username() : in.storedBy();
                    store.put(new AggregateStore.DataValue(in.dataElement(), pe, ou, coc, aoc, in.value(),
                            in.comment(), followup, storedBy, created, lastUpdated,
                            !live && Boolean.TRUE.equals(in.deleted())));
                }
            }
            return null;
        });
        if (header.completeDate != null && header.dataSet != null && header.period != null && header.orgUnit != null
                && !dryRun) {
            Instant date = date(header.completeDate, instance.clock().instant());
            Instant registered = instance.clock().tick();
            String aoc = header.attributeOptionCombo != null ? header.attributeOptionCombo : defaultCoc;
            Instant created = instance.aggregate().getRegistration(header.dataSet, header.period, header.orgUnit, aoc)
                    .map(AggregateStore.Registration::created).orElse(registered);
            instance.aggregate().putRegistration(new AggregateStore.Registration(header.dataSet, header.period,
                    header.orgUnit, aoc, date, instance.username(), created, registered, instance.username(), true));
            summary.dataSetComplete(AggregateApi.DAY.format(date));
        }
    }

    static Instant wholeSecond(Instant at) {
        return Instant.ofEpochSecond(at.getEpochSecond());
    }

    private void pauseUntilCommit() {
        long millis = instance.aggregate().commitDelay().toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    private static Instant date(String text, Instant fallback) {
        try {
            return Dhis2Dates.parse(text);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
