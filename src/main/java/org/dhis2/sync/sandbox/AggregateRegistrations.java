package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code GET/POST /api/completeDataSetRegistrations} (reference §1.2, §2.2). Exports filter by {@code created}
 * (DHIS2 has no lastUpdated filter here up to 2.42) and open the array lazily, so an empty export is {@code {}}.
 */
final class AggregateRegistrations {

    private final Dhis2Instance instance;
    private final AggregateMetadata metadata;

    AggregateRegistrations(Dhis2Instance instance) {
        this.instance = instance;
        this.metadata = new AggregateMetadata(instance);
    }

    void export(SandboxRequest request, SandboxResponse response) {
        Set<String> dataSets = Set.copyOf(request.params("dataSet").stream().filter(metadata::dataSetExists).toList());
        if (dataSets.isEmpty()) {
            throw Dhis2Exception.conflict("At least one valid data set must be specified", "E2013");
        }
        List<String> periods = request.params("period");
        String start = request.param("startDate").orElse(null);
        String end = request.param("endDate").orElse(null);
        String created = request.param("created").orElse(null);
        String createdDuration = request.param("createdDuration").orElse(null);
        boolean hasDates = start != null && end != null;
        if (periods.isEmpty() && !hasDates && created == null && createdDuration == null) {
            throw Dhis2Exception.conflict("At least one valid period, start/end dates, created or created duration "
                    + "must be specified", "E2002");
        }
        Predicate<String> periodOk = p -> true;
        if (!periods.isEmpty()) {
            Set<String> wanted = Set.copyOf(periods);
            periodOk = wanted::contains;
        } else if (hasDates) {
            LocalDate from = AggregateDataValueExport.day(start);
            LocalDate to = AggregateDataValueExport.day(end);
            periodOk = iso -> AggregatePeriods.range(iso).map(r -> r.within(from, to)).orElse(false);
        }
        long createdFrom = created != null ? AggregateDataValueExport.instant(created).toEpochMilli()
                : createdDuration != null ? instance.clock().millis() - AggregateApi.durationMillis(createdDuration)
                : Long.MIN_VALUE;
        List<String> orgUnits = request.params("orgUnit").stream().filter(metadata::orgUnitExists).toList();
        List<String> groups = request.params("orgUnitGroup");
        if (orgUnits.isEmpty() && groups.isEmpty()) {
            throw Dhis2Exception.conflict(
                    "At least one organisation unit or organisation unit group must be specified", "E2006");
        }
        Set<String> units = metadata.withDescendants(orgUnits, request.flag("children", false));
        units.addAll(metadata.orgUnitsOfGroups(groups));
        int limit = request.intParam("limit", Integer.MAX_VALUE);

        Predicate<String> periodFilter = periodOk;
        List<AggregateStore.Registration> matches = instance.aggregate().registrations().stream()
                .filter(r -> dataSets.contains(r.dataSet()) && units.contains(r.organisationUnit())
                        && periodFilter.test(r.period()) && r.created().toEpochMilli() >= createdFrom)
                .limit(limit)
                .toList();
        response.streamJson(200, json -> {
            json.writeStartObject();
            if (!matches.isEmpty()) {
                json.writeArrayFieldStart("completeDataSetRegistrations");
                for (AggregateStore.Registration r : matches) {
                    write(json, r);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        });
    }

    private static void write(JsonGenerator json, AggregateStore.Registration r) throws IOException {
        json.writeStartObject();
        json.writeStringField("dataSet", r.dataSet());
        json.writeStringField("period", r.period());
        json.writeStringField("organisationUnit", r.organisationUnit());
        json.writeStringField("attributeOptionCombo", r.attributeOptionCombo());
        json.writeStringField("date", AggregateApi.DAY.format(r.date()));
        if (r.storedBy() != null) {
            json.writeStringField("storedBy", r.storedBy());
        }
        if (r.lastUpdatedBy() != null) {
            json.writeStringField("lastUpdatedBy", r.lastUpdatedBy());
        }
        json.writeStringField("lastUpdated", AggregateTimestamps.format(r.lastUpdated().toEpochMilli()));
        json.writeBooleanField("completed", r.completed());
        json.writeEndObject();
    }

    void importRegistrations(SandboxRequest request, SandboxResponse response) {
        String strategy = AggregateApi.importStrategy(request);
        boolean dryRun = request.flag("dryRun", false);
        AggregateImportSummary summary = AggregateImportSummary.forRegistrations(strategy, dryRun,
                request.flag("async", false)).of(instance.version());
        JsonNode body = request.bodyJson();
        Set<String> rejected = instance.faults().rejectedUids();
        Instant now = instance.clock().tick();
        for (JsonNode item : body.path("completeDataSetRegistrations")) {
            String ds = item.path("dataSet").asText(null);
            String pe = item.path("period").asText(null);
            String ou = item.path("organisationUnit").asText(null);
            String aoc = item.hasNonNull("attributeOptionCombo") ? item.path("attributeOptionCombo").asText()
                    : metadata.defaultCoc();
            String problem = null;
            String object = null;
            if (ds == null || !metadata.dataSetExists(ds) || rejected.contains(ds)) {
                problem = "Data set not found or not accessible";
                object = ds;
            } else if (!AggregatePeriods.isValid(pe)) {
                problem = "Period not valid";
                object = pe;
            } else if (ou == null || !metadata.orgUnitExists(ou) || rejected.contains(ou)) {
                problem = "Organisation unit not found or not accessible";
                object = ou;
            } else if (!metadata.categoryOptionComboExists(aoc)) {
                problem = "Attribute option combo not found or not accessible";
                object = aoc;
            }
            if (problem != null) {
                summary.legacyConflict(String.valueOf(object), problem);
                summary.ignored++;
                continue;
            }
            var existing = instance.aggregate().getRegistration(ds, pe, ou, aoc);
            if ("DELETE".equals(strategy)) {
                if (existing.isPresent()) {
                    summary.deleted++;
                    if (!dryRun) {
                        instance.aggregate().removeRegistration(ds, pe, ou, aoc);
                    }
                } else {
                    summary.ignored++;
                }
                continue;
            }
            if ((existing.isPresent() && "CREATE".equals(strategy))
                    || (existing.isEmpty() && "UPDATE".equals(strategy))) {
                summary.ignored++;
                continue;
            }
            if (existing.isPresent()) {
                summary.updated++;
            } else {
                summary.imported++;
            }
            if (dryRun) {
                continue;
            }
            Instant date = item.hasNonNull("date") ? parse(item.path("date").asText(), now) : now;
            boolean completed = !item.has("completed") || item.path("completed").asBoolean(true);
            String storedBy = item.hasNonNull("storedBy") ? item.path("storedBy").asText() : instance.username();
            Instant created = existing.map(AggregateStore.Registration::created).orElse(now);
            instance.aggregate().putRegistration(new AggregateStore.Registration(ds, pe, ou, aoc, date, storedBy,
                    created, now, instance.username(), completed));
        }
        AggregateApi.answer(request, response, instance, summary.toJson());
    }

    private static Instant parse(String text, Instant fallback) {
        try {
            return Dhis2Dates.parse(text);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
