package org.dhis2.sync.tracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.dhis2.sync.tracker.TrackerPass.Member;
import org.dhis2.sync.tracker.TrackerPass.Unit;

/**
 * One exported object's part of a page's payloads: skip-sync values stripped, deletions split from the rest
 * (DELETE import) and nested objects of programs that are not configured left out; relationships are not sent
 * here (RelationshipPass), except deleted ones of a tracked entity.
 */
final class TrackerPayloads {

    private final List<String> programs;

    /** @param programs configured programs; empty = all */
    TrackerPayloads(List<String> programs) {
        this.programs = programs;
    }

    /** An object of the export as the bookkeeping sees it. */
    static Member member(TrackerType type, ObjectNode o) {
        Instant updated = TrackerPushStage.parseTime(o.path("updatedAt").asText(o.path("lastUpdated").asText(null)));
        return new Member(type, o.path(type.idField()).asText(), updated, o.path("deleted").asBoolean(false));
    }

    Unit addEvent(TrackerPass pass, ObjectNode event, Member self, ObjectNode deletes, ObjectNode upserts) {
        if (self.deleted()) {
            array(deletes, TrackerType.EVENT).addObject().put("event", self.uid());
        } else {
            event.remove("relationships");
            pass.skipSync.strip(event);
            array(upserts, TrackerType.EVENT).add(event);
        }
        return new Unit(self, List.of());
    }

    Unit addTrackedEntity(TrackerPass pass, ObjectNode te, Member self, ObjectNode deletes, ObjectNode upserts) {
        List<Member> members = new ArrayList<>();
        if (self.deleted()) {
            array(deletes, TrackerType.TRACKED_ENTITY).addObject().put("trackedEntity", self.uid());
            return new Unit(self, members);
        }
        te.remove("programOwners");
        pass.skipSync.strip(te);
        ArrayNode enrollments = te.path("enrollments") instanceof ArrayNode a ? a : te.putArray("enrollments");
        for (Iterator<JsonNode> ei = enrollments.iterator(); ei.hasNext(); ) {
            ObjectNode en = (ObjectNode) ei.next();
            if (!programs.isEmpty() && !programs.contains(en.path("program").asText())) {
                ei.remove(); // an enrollment in a program that is not configured stays on the local instance
                continue;
            }
            Member m = member(TrackerType.ENROLLMENT, en);
            members.add(m);
            en.remove("relationships"); // sent by reference after all tracked entities
            if (m.deleted()) {
                array(deletes, TrackerType.ENROLLMENT).addObject().put("enrollment", m.uid());
                ei.remove();
                continue;
            }
            ArrayNode events = en.path("events") instanceof ArrayNode a ? a : en.putArray("events");
            for (Iterator<JsonNode> vi = events.iterator(); vi.hasNext(); ) {
                ObjectNode ev = (ObjectNode) vi.next();
                Member em = member(TrackerType.EVENT, ev);
                members.add(em);
                ev.remove("relationships");
                if (em.deleted()) {
                    array(deletes, TrackerType.EVENT).addObject().put("event", em.uid());
                    vi.remove();
                }
            }
        }
        JsonNode relationships = te.remove("relationships");
        if (relationships != null) {
            for (JsonNode r : relationships) {
                Member rm = member(TrackerType.RELATIONSHIP, (ObjectNode) r);
                if (rm.deleted()) { // live ones go by reference after all tracked entities (RelationshipPass)
                    members.add(rm);
                    array(deletes, TrackerType.RELATIONSHIP).addObject().put("relationship", rm.uid());
                }
            }
        }
        array(upserts, TrackerType.TRACKED_ENTITY).add(te);
        return new Unit(self, members);
    }

    private static ArrayNode array(ObjectNode payload, TrackerType type) {
        return payload.path(type.collection()) instanceof ArrayNode a ? a : payload.putArray(type.collection());
    }
}
