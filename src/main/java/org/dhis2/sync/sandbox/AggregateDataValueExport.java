package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code GET /api/dataValueSets} (reference §1.1): parameters validated as DataValueSetService.validate does (409
 * with E20xx), values streamed in the store's order with the field set and null handling of JsonDataValueSetWriter.
 */
final class AggregateDataValueExport {

    private final Dhis2Instance instance;
    private final AggregateMetadata metadata;

    AggregateDataValueExport(Dhis2Instance instance) {
        this.instance = instance;
        this.metadata = new AggregateMetadata(instance);
    }

    void handle(SandboxRequest request, SandboxResponse response) {
        AggregateStore.Query query = new AggregateStore.Query();
        List<String> dataSets = request.params("dataSet").stream().filter(metadata::dataSetExists).toList();
        Set<String> dataElements = new LinkedHashSet<>(metadata.dataElementsOfDataSets(dataSets));
        dataElements.addAll(metadata.dataElementsOfGroups(request.params("dataElementGroup")));
        request.params("dataElement").stream().filter(metadata::dataElementExists).forEach(dataElements::add);
        if (dataElements.isEmpty()) {
            throw Dhis2Exception.conflict(
                    "At least one data element, data set or data element group must be specified", "E2001");
        }
        query.dataElements = dataElements;

        List<String> periods = request.params("period");
        String start = request.param("startDate").orElse(null);
        String end = request.param("endDate").orElse(null);
        String lastUpdated = request.param("lastUpdated").orElse(null);
        String duration = request.param("lastUpdatedDuration").orElse(null);
        boolean hasDates = start != null && end != null;
        if (periods.isEmpty() && !hasDates && lastUpdated == null && duration == null) {
            throw Dhis2Exception.conflict("At least one period, start/end dates, last updated or last updated "
                    + "duration must be specified", "E2002");
        }
        if (!periods.isEmpty() && hasDates) {
            throw Dhis2Exception.conflict("Periods and start and end dates cannot be specified simultaneously",
                    "E2003");
        }
        if (!periods.isEmpty()) {
            query.periods = periods;
        } else if (hasDates) {
            LocalDate from = day(start);
            LocalDate to = day(end);
            if (from.isAfter(to)) {
                throw Dhis2Exception.conflict("Start date must be before end date", "E2004");
            }
            query.periodFilter = iso -> AggregatePeriods.range(iso).map(r -> r.within(from, to)).orElse(false);
        }
        if (lastUpdated != null) {
            query.lastUpdatedFrom = instant(lastUpdated).toEpochMilli();
        } else if (duration != null) {
            query.lastUpdatedFrom = instance.clock().millis() - AggregateApi.durationMillis(duration);
        }

        List<String> orgUnits = request.params("orgUnit").stream().filter(metadata::orgUnitExists).toList();
        List<String> groups = request.params("orgUnitGroup");
        if (orgUnits.isEmpty() && groups.isEmpty()) {
            throw Dhis2Exception.conflict(
                    "At least one organisation unit or organisation unit group must be specified", "E2006");
        }
        for (String ou : orgUnits) {
            if (!metadata.inUserHierarchy(ou)) {
                throw Dhis2Exception.conflict("User is not allowed to view org unit: `" + ou + "`", "E2010");
            }
        }
        boolean children = request.flag("children", false);
        Set<String> units = metadata.withDescendants(orgUnits, children);
        units.addAll(metadata.orgUnitsOfGroups(groups));
        query.orgUnits = units;

        List<String> aocs = request.params("attributeOptionCombo");
        if (!aocs.isEmpty()) {
            query.attributeOptionCombos = aocs;
        }
        query.includeDeleted = request.flag("includeDeleted", false);
        int limit = request.intParam("limit", Integer.MAX_VALUE);
        if (limit < 0) {
            throw Dhis2Exception.conflict("Limit cannot be less than zero: `" + limit + "`", "E2009");
        }
        query.limit = limit;

        // DHIS2 writes the set header only for one data set, one period and one org unit without children
        boolean single = dataSets.size() == 1 && periods.size() == 1 && orgUnits.size() == 1 && !children;
        Header header = single ? header(dataSets.get(0), periods.get(0), orgUnits.get(0)) : null;

        String compression = request.param("compression", "").toLowerCase(Locale.ROOT);
        switch (compression) {
            case "gzip" -> {
                response.header("Content-Disposition", "attachment; filename=dataValues.json.gz");
                response.header("Content-Transfer-Encoding", "binary");
                response.stream(200, "application/json;charset=UTF-8", out -> {
                    GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024);
                    writeTo(gzip, query, header);
                    gzip.finish();
                });
            }
            case "zip" -> {
                response.header("Content-Disposition", "attachment; filename=dataValues.json.zip");
                response.header("Content-Transfer-Encoding", "binary");
                response.stream(200, "application/json;charset=UTF-8", out -> {
                    ZipOutputStream zip = new ZipOutputStream(out);
                    zip.putNextEntry(new ZipEntry("dataValues.json"));
                    writeTo(zip, query, header);
                    zip.closeEntry();
                    zip.finish();
                });
            }
            default -> response.streamJson(200, json -> write(json, query, header));
        }
    }

    private record Header(String dataSet, String completeDate, String period, String orgUnit) {
    }

    private Header header(String dataSet, String period, String orgUnit) {
        String completeDate = instance.aggregate()
                .getRegistration(dataSet, period, orgUnit, metadata.defaultCoc())
                .filter(AggregateStore.Registration::completed)
                .map(r -> AggregateApi.DAY.format(r.date())).orElse(null);
        return new Header(dataSet, completeDate, period, orgUnit);
    }

    private void writeTo(OutputStream out, AggregateStore.Query query, Header header) throws IOException {
        JsonGenerator json = SandboxJson.FACTORY.createGenerator(out);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        write(json, query, header);
        json.flush();
    }

    private void write(JsonGenerator json, AggregateStore.Query query, Header header) throws IOException {
        json.writeStartObject();
        if (header != null) {
            writeNonNull(json, "dataSet", header.dataSet());
            writeNonNull(json, "completeDate", header.completeDate());
            writeNonNull(json, "period", header.period());
            writeNonNull(json, "orgUnit", header.orgUnit());
        }
        json.writeArrayFieldStart("dataValues");
        try {
            instance.aggregate().scan(query, 2048, batch -> {
                try {
                    for (AggregateStore.DataValue v : batch) {
                        writeValue(json, v);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** JsonDataValueSetWriter: nulls written as null, {@code deleted} only when set. */
    private static void writeValue(JsonGenerator json, AggregateStore.DataValue v) throws IOException {
        json.writeStartObject();
        json.writeStringField("dataElement", v.dataElement());
        json.writeStringField("period", v.period());
        json.writeStringField("orgUnit", v.orgUnit());
        json.writeStringField("categoryOptionCombo", v.categoryOptionCombo());
        json.writeStringField("attributeOptionCombo", v.attributeOptionCombo());
        json.writeStringField("value", v.value());
        json.writeStringField("storedBy", v.storedBy());
        json.writeStringField("created", AggregateTimestamps.format(v.created().toEpochMilli()));
        json.writeStringField("lastUpdated", AggregateTimestamps.format(v.lastUpdated().toEpochMilli()));
        json.writeStringField("comment", v.comment());
        json.writeBooleanField("followup", v.followup());
        if (v.deleted()) {
            json.writeBooleanField("deleted", true);
        }
        json.writeEndObject();
    }

    private static void writeNonNull(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }

    static LocalDate day(String text) {
        return instant(text).atZone(ZoneOffset.UTC).toLocalDate();
    }

    static Instant instant(String text) {
        try {
            return Dhis2Dates.parse(text);
        } catch (IllegalArgumentException e) {
            throw Dhis2Exception.badRequest("Invalid date: " + text);
        }
    }
}
