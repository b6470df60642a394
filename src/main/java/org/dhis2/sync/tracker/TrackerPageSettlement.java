package org.dhis2.sync.tracker;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.dhis2.sync.load.AdaptivePageSizes;
import org.dhis2.sync.tracker.TrackerBookkeeping.Settlement;
import org.dhis2.sync.tracker.TrackerPass.Member;
import org.dhis2.sync.tracker.TrackerPass.Page;
import org.dhis2.sync.tracker.TrackerPass.Unit;
import org.dhis2.sync.tracker.TrackerPushStage.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settling a sent page: central's verdicts per object (a top-level object takes the worst state of its own and its
 * nested objects'), recorded with their conflicts in one transaction, and the page's figures; or, when central did
 * not confirm the page, nothing settled and the window held before its objects.
 */
final class TrackerPageSettlement {

    // the stage's logger: its lines keep the name they always had
    private static final Logger LOG = LoggerFactory.getLogger(TrackerPushStage.class);

    private final Mode mode;
    private final TrackerBookkeeping books;
    private final AdaptivePageSizes pageSizes;

    TrackerPageSettlement(Mode mode, TrackerBookkeeping books, AdaptivePageSizes pageSizes) {
        this.mode = mode;
        this.books = books;
        this.pageSizes = pageSizes;
    }

    /** After a page's imports: the state of every object of the page, with its conflicts, in one transaction. */
    void settlePage(Exchange exchange) {
        Page page = TrackerExchange.page(exchange);
        TrackerPass pass = page.pass;
        if (RelationshipPages.SCOPE.equals(page.scope)) {
            pass.relationships.pages.settle(page, books);
            return;
        }
        List<Settlement> settlements = new ArrayList<>();
        int synced = 0;
        int errors = 0;
        int warnings = 0;
        int open = 0;
        for (Unit u : page.units) {
            SyncState aggregated = SyncState.SYNCED;
            for (Member m : u.members()) {
                ImportReportJudge.Verdict v = verdict(page, m);
                settlements.add(settlement(m, v));
                if (m.type() != TrackerType.RELATIONSHIP || m.deleted()) {
                    aggregated = SyncState.worst(aggregated, v.state());
                }
            }
            ImportReportJudge.Verdict own = verdict(page, u.self());
            // central did not confirm the object itself: it stays unsettled (sent again), whatever its children got
            aggregated = own.state().settled() ? SyncState.worst(aggregated, own.state()) : own.state();
            String error = own.conflicts().isEmpty() ? (aggregated == SyncState.SYNCED ? null
                    : aggregated.settled() ? "a nested object was rejected" : "not confirmed by central")
                    : own.conflicts().get(0).value();
            settlements.add(new Settlement(u.self().type(), u.self().uid(), u.self().updatedAt(), aggregated, false,
                    error, own.conflicts()));
            switch (aggregated) {
                case SYNCED -> synced++;
                case ERROR -> errors++;
                case WARNING -> warnings++;
                default -> {
                    open++;
                    pass.unsettledAt(u.self().updatedAt());
                    pass.relationships.ownerNotConfirmed(u.self().uid());
                }
            }
        }
        books.settle(pass.run.id(), settlements);
        pageSizes.succeeded(mode.stage, page.units.size());
        pass.count(synced, errors, warnings, open);
        String summary = synced + " synced, " + errors + " rejected, " + warnings + " with warnings, " + open
                + " not confirmed";
        LOG.info("{} {} page {}: {}", mode.stage, page.scope, page.number, summary);
        if (open > 0) {
            page.item.fail(summary);
        } else {
            page.item.complete(summary);
        }
    }

    /** A page was not confirmed by central (retries exhausted, reset, unreadable answer): nothing is settled. */
    void pageFailed(Exchange exchange) {
        Page page = TrackerExchange.page(exchange);
        TrackerPass pass = page.pass;
        String reason = TrackerExchange.caught(exchange);
        if (RelationshipPages.SCOPE.equals(page.scope)) {
            pass.relationships.pages.failed(page, reason);
            return;
        }
        for (Unit u : page.units) {
            pass.unsettledAt(u.self().updatedAt());
            pass.relationships.ownerNotConfirmed(u.self().uid());
        }
        pass.count(0, 0, 0, page.units.size());
        page.item.fail("Page " + page.number + " was not confirmed by central: " + reason);
        pass.run.recordFailure(mode.noun + ": page " + page.number + " of " + page.scope + " not confirmed: "
                + reason);
        LOG.warn("{}: page {} of {} ({} objects) not confirmed: {}", mode.stage, page.number, page.scope,
                page.units.size(), reason);
    }

    private ImportReportJudge.Verdict verdict(Page page, Member m) {
        ImportReportJudge judge = m.deleted() ? page.deleteJudge : page.upsertJudge;
        if (judge == null) {
            return new ImportReportJudge.Verdict(m.deleted() ? SyncState.TO_DELETE : SyncState.TO_UPDATE, List.of());
        }
        ImportReportJudge.Verdict v = judge.of(m.type(), m.uid());
        if (m.deleted() && v.state() == SyncState.TO_UPDATE) {
            return new ImportReportJudge.Verdict(SyncState.TO_DELETE, List.of());
        }
        return v;
    }

    private static Settlement settlement(Member m, ImportReportJudge.Verdict v) {
        String error = v.conflicts().isEmpty() ? null : v.conflicts().get(0).value();
        return new Settlement(m.type(), m.uid(), m.updatedAt(), v.state(), false, error, v.conflicts());
    }
}
