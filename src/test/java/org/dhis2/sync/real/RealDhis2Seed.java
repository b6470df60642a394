package org.dhis2.sync.real;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.List;

/**
 * Seeds a real DHIS2 through its own APIs: the suite's metadata (src/test/resources/real-dhis2/seed-metadata.json)
 * through /api/metadata, the admin user's org unit roots, metadata versions on central and the remote settings the
 * local server pulls versions with.
 */
final class RealDhis2Seed {

    static final String ROOT = "RdRootOu001";
    static final String FACILITY_A = "RdFacilA001";
    static final String FACILITY_B = "RdFacilB001";
    static final String DATA_SET = "RdDataSet01";
    static final String CASES = "RdDeAggr001";
    static final String VISITS = "RdDeAggr002";
    static final String EVENT_PROGRAM = "RdEvtProg01";
    static final String EVENT_STAGE = "RdEvtStage1";
    static final String TRACKER_PROGRAM = "RdTrkProg01";
    static final String TRACKER_STAGE = "RdTrkStage1";
    static final String PERSON = "RdTetPerson";
    static final String NAME = "RdTeaName01";
    static final String SECRET_ATTRIBUTE = "RdTeaSecr01";
    static final String GENERATED_ID = "RdTeaGen001";
    static final String OBSERVATION = "RdDeEvnt001";
    static final String SECRET_DATA_ELEMENT = "RdDeSecr001";
    static final String CONTACT = "RdRelType01";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private RealDhis2Seed() {
    }

    static String uid() {
        StringBuilder b = new StringBuilder().append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
        String alnum = LETTERS + "0123456789";
        for (int i = 0; i < 10; i++) {
            b.append(alnum.charAt(RANDOM.nextInt(alnum.length())));
        }
        return b.toString();
    }

    static JsonNode metadata() throws IOException {
        try (InputStream in = RealDhis2Seed.class.getResourceAsStream("/real-dhis2/seed-metadata.json")) {
            return RealDhis2.JSON.readTree(in);
        }
    }

    /**
     * Imports the metadata; data sets in a second import (2.41.8.2 answers 409 "DataSet.periodType" to a payload
     * that creates a data set together with its data elements, and accepts the same data set on its own).
     */
    static void importMetadata(RealDhis2 server, JsonNode metadata) {
        ObjectNode rest = metadata.deepCopy();
        JsonNode dataSets = rest.remove("dataSets");
        importPart(server, rest);
        if (dataSets != null) {
            ObjectNode sets = RealDhis2.JSON.createObjectNode();
            sets.set("dataSets", dataSets);
            importPart(server, sets);
        }
        server.post("/api/maintenance/categoryOptionComboUpdate", ""); // the seed names the option combos itself
    }

    private static void importPart(RealDhis2 server, JsonNode metadata) {
        RealDhis2.Answer a = server.post("/api/metadata?importStrategy=CREATE_AND_UPDATE&atomicMode=ALL", metadata);
        for (int i = 0; i < 4 && a.status() != 200; i++) {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            a = server.post("/api/metadata?importStrategy=CREATE_AND_UPDATE&atomicMode=ALL", metadata);
        }
        if (a.status() != 200 || a.json().path("status").asText().equals("ERROR")) {
            throw new AssertionError(server.name + " metadata import failed: " + a.status() + " " + a.body());
        }
    }

    /** Gives the admin user the root for data capture, data view and search. */
    static void assignRoots(RealDhis2 server) {
        String me = server.get("/api/me?fields=id").expect(200).json().path("id").asText();
        ArrayNode patch = RealDhis2.JSON.createArrayNode();
        for (String property : List.of("organisationUnits", "dataViewOrganisationUnits", "teiSearchOrganisationUnits")) {
            ObjectNode op = patch.addObject().put("op", "add").put("path", "/" + property);
            op.putArray("value").addObject().put("id", ROOT);
        }
        RealDhis2.Answer a = server.patch("/api/users/" + me, patch);
        if (a.status() != 200 && a.status() != 204) {
            throw new AssertionError(server.name + ": assigning the org unit roots failed: " + a.status() + " "
                    + a.body());
        }
    }

    /** Turns metadata versioning on (central) and creates a version of the given type. */
    static String createVersion(RealDhis2 central, String type) {
        central.postText("/api/systemSettings/keyVersionEnabled", "true");
        JsonNode v = central.post("/api/metadata/version/create?type=" + type, "").expect(200).json();
        return v.path("name").asText();
    }

    /** The local server pulls versions from central with these settings (DHIS2's own metadata sync). */
    static void pointLocalAtCentral(RealDhis2 local, String centralUrl, String user, String password) {
        ObjectNode settings = RealDhis2.JSON.createObjectNode()
                .put("keyRemoteInstanceUrl", centralUrl)
                .put("keyRemoteInstanceUsername", user)
                .put("keyRemoteInstancePassword", password);
        local.postText("/api/systemSettings/keyVersionEnabled", "true"); // DHIS2 wants versioning on at both ends
        RealDhis2.Answer a = local.post("/api/systemSettings", settings);
        if (a.status() != 200 && a.status() != 204) {
            throw new AssertionError("local system settings: " + a.status() + " " + a.body());
        }
    }
}
