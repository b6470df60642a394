package org.dhis2.sync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.dhis2.sync.sandbox.TrackerStore.Kind;

/** One started sandbox with tracker metadata, and real-HTTP helpers for the tracker tests. */
final class TrackerSandboxFixture implements AutoCloseable {

    record Answer(int status, JsonNode body, String raw) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("admin:district".getBytes(StandardCharsets.UTF_8));

    final SandboxServer server;
    final Dhis2Instance instance;

    TrackerSandboxFixture(int minor) throws Exception {
        instance = new Dhis2Instance("test", Dhis2Version.of(minor));
        TrackerGenerator.generateMetadata(instance, GeneratorSpec.small());
        server = SandboxServer.start(instance);
    }

    TrackerStore store() {
        return instance.tracker();
    }

    Answer get(String pathAndQuery) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery)).GET());
    }

    Answer post(String pathAndQuery, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private Answer send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = HTTP.send(b.header("Authorization", AUTH).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body().isEmpty() ? null : SandboxJson.MAPPER.readTree(r.body());
        return new Answer(r.statusCode(), body, r.body());
    }

    // ---------------------------------------------------------------- metadata of the generated world

    String id(String type, int index) {
        return instance.catalog().list(type).get(index).path("id").asText();
    }

    ObjectNode program(String programType) {
        return instance.catalog().list(TrackerRefs.PROGRAMS).stream()
                .filter(p -> programType.equals(p.path("programType").asText())).findFirst().orElseThrow();
    }

    String stageOf(ObjectNode program, int i) {
        return program.path("programStages").path(i).path("id").asText();
    }

    List<String> dataElementsOf(String stage) {
        return instance.catalog().get(TrackerRefs.PROGRAM_STAGES, stage).orElseThrow()
                .path("programStageDataElements").findValues("dataElement").stream()
                .map(d -> d.path("id").asText()).toList();
    }

    String facility() {
        return instance.catalog().list(TrackerRefs.ORG_UNITS).stream()
                .filter(o -> o.has("parent")).findFirst().orElseThrow().path("id").asText();
    }

    String teType() {
        return id(TrackerRefs.TE_TYPES, 0);
    }

    String attribute(int i) {
        return id(TrackerRefs.ATTRIBUTES, i);
    }

    /** An event of the event program, in the new format. */
    ObjectNode newEvent(String uid) {
        ObjectNode program = program("WITHOUT_REGISTRATION");
        String stage = stageOf(program, 0);
        ObjectNode e = SandboxJson.object().put("event", uid).put("program", program.path("id").asText())
                .put("programStage", stage).put("orgUnit", facility()).put("status", "COMPLETED")
                .put("occurredAt", "2024-03-01T00:00:00.000");
        e.putArray("dataValues").addObject().put("dataElement", dataElementsOf(stage).get(0)).put("value", "5");
        return e;
    }

    /** The same event in the old format. */
    ObjectNode oldEvent(String uid) {
        return TrackerFormats.eventToOld(newEvent(uid));
    }

    /** Stores a tracked entity with an attribute directly (as data on this instance). */
    String storeTrackedEntity(String uid, String value) {
        ObjectNode te = SandboxJson.object().put("trackedEntityType", teType()).put("orgUnit", facility());
        te.putArray("attributes").addObject().put("attribute", attribute(0)).put("value", value);
        store().put(Kind.TRACKED_ENTITY, uid, te);
        return uid;
    }

    @Override
    public void close() {
        server.close();
    }
}
