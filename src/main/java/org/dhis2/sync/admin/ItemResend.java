package org.dhis2.sync.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.dhis2.sync.db.SqlFile;
import org.dhis2.sync.tracker.TrackerType;

/**
 * {@code POST /api/sync/items/{kind}/{uid}/resend}: flags one object so that the next run of its stage sends it
 * again (the stages honour sync_item.resend_requested), and moves the stage's read window back to the object's
 * change time so the export contains it. One transaction.
 */
public final class ItemResend {

    private final DataSource dataSource;

    public ItemResend(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @param syncPair the pair of the admin call (exchange variable pair) */
    public Map<String, Object> request(String syncPair, String kind, String uid) {
        String k = ItemKinds.oneOf("kind", kind, ItemKinds.ITEMS);
        if (k == null) {
            throw AdminApiException.badParameter("kind", "is required");
        }
        if (!ItemKinds.RESENDABLE.containsKey(k)) {
            throw AdminApiException.badParameter("kind", "'" + k + "' is sent with its tracked entity: re-send kind "
                    + TrackerType.TRACKED_ENTITY.name() + " instead (resendable kinds: "
                    + String.join(", ", ItemKinds.RESENDABLE.keySet()) + ")");
        }
        String stage = ItemKinds.RESENDABLE.get(k);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement flag = c.prepareStatement(SqlFile.get("sync-item-resend"));
                 PreparedStatement rewind = c.prepareStatement(SqlFile.get("sync-item-watermark-rewind"))) {
                flag.setString(1, syncPair);
                flag.setString(2, k);
                flag.setString(3, uid);
                if (flag.executeUpdate() == 0) {
                    c.rollback();
                    throw AdminApiException.notFound("No " + k + " item '" + uid + "' in the bookkeeping");
                }
                if (stage != null) {
                    rewind.setString(1, k);
                    rewind.setString(2, syncPair);
                    rewind.setString(3, stage);
                    rewind.setString(4, k);
                    rewind.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the resend request: " + e.getMessage(), e);
        }
        return AdminAnswers.webMessage(200, k + " " + uid + " will be sent again by the next run",
                Map.of("kind", k, "uid", uid, "resendRequested", true));
    }
}
