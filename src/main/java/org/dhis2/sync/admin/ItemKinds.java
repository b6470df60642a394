package org.dhis2.sync.admin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dhis2.sync.aggregate.CompleteRegistrationSync;
import org.dhis2.sync.aggregate.DataValueSync;
import org.dhis2.sync.tracker.TrackerPushStage;
import org.dhis2.sync.tracker.TrackerType;

/**
 * The kinds of objects the bookkeeping holds (sync_item.kind, import_conflict.kind) and, for those that can be sent
 * again on request, the stage whose read window must then reach back to them.
 */
final class ItemKinds {

    /** Page-level conflicts of data value pages that could not be tied to single values. */
    static final String DATA_VALUE_SET = "dataValueSet";

    /** Kind → stage in stage_watermark; null: the stage re-reads its whole scope each run (registrations). */
    static final Map<String, String> RESENDABLE;
    static final List<String> ITEMS;
    static final List<String> CONFLICTS;

    static {
        Map<String, String> resendable = new LinkedHashMap<>();
        resendable.put(TrackerPushStage.Mode.EVENTS.topType().name(), TrackerPushStage.Mode.EVENTS.stage());
        resendable.put(TrackerPushStage.Mode.TRACKED_ENTITIES.topType().name(),
                TrackerPushStage.Mode.TRACKED_ENTITIES.stage());
        resendable.put(DataValueSync.KIND, DataValueSync.STAGE);
        resendable.put(CompleteRegistrationSync.KIND, null);
        RESENDABLE = Collections.unmodifiableMap(resendable);
        List<String> items = new ArrayList<>();
        for (TrackerType t : TrackerType.values()) {
            items.add(t.name());
        }
        items.add(DataValueSync.KIND);
        items.add(CompleteRegistrationSync.KIND);
        ITEMS = List.copyOf(items);
        items.add(DATA_VALUE_SET);
        for (TrackerType t : TrackerType.values()) {
            items.add("DOWNLOAD_" + t.name()); // what the local instance rejected of a tracker download
        }
        CONFLICTS = List.copyOf(items);
    }

    private ItemKinds() {
    }

    /** The value when it is one of the allowed ones (or absent: null); else a 400 naming the parameter. */
    static String oneOf(String parameter, String value, List<String> allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (!allowed.contains(v)) {
            throw AdminApiException.badParameter(parameter, "must be one of " + String.join(", ", allowed));
        }
        return v;
    }
}
