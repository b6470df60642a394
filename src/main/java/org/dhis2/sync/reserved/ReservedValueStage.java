package org.dhis2.sync.reserved;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.dhis2.sync.config.ReservedValueSettings;
import org.dhis2.sync.job.JobCoordinator;
import org.dhis2.sync.job.JobProgress;
import org.dhis2.sync.job.JobRun;
import org.dhis2.sync.job.StageOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stage of job RESERVED_VALUES (routes/reserved-values.camel.yaml): plans a pool per generated attribute of the
 * local tracker programs (and per org unit code of the program when the pattern uses ORG_UNIT_CODE), then fills each
 * pool below the threshold ({@link ReservedValuePools}). Progress: one item per pool. The run is FAILED when a pool
 * that needed values did not get them, naming the attribute and org unit.
 */
public final class ReservedValueStage {

    private static final Logger LOG = LoggerFactory.getLogger(ReservedValueStage.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLAN = "rsvPlan";
    static final String STAGE = "reservedValues";

    /** One run's pools and tallies (exchange variable). */
    static final class Plan {
        final List<Pool> pools;
        final Iterator<Pool> next;
        final JobProgress.Process process;
        final JobProgress.Stage stage;
        final Instant started = Instant.now();
        JobProgress.Item item;
        long requested;
        long received;
        long failedPools;
        String centralDown;

        Plan(List<Pool> pools, JobProgress.Process process, JobProgress.Stage stage) {
            this.pools = pools;
            this.next = pools.iterator();
            this.process = process;
            this.stage = stage;
        }
    }

    private final ReservedValuePools pools;
    /** attribute → pattern, as the last run read them (the hand-out uses it before asking the local DHIS2). */
    private final Map<String, String> patterns = new ConcurrentHashMap<>();

    public ReservedValueStage(ReservedValuePools pools) {
        this.pools = pools;
    }

    /** The pattern of a generated attribute as the last run read it, or null. */
    String pattern(String attribute) {
        return patterns.get(attribute);
    }

    /** Reads the local programs' generated attributes and plans the pools. */
    public void readPrograms(Exchange exchange) throws Exception {
        JobRun run = JobCoordinator.currentRun(exchange, STAGE);
        List<Pool> planned = plan(JSON.readTree(exchange.getMessage().getBody(String.class)), pools.settings());
        planned.forEach(p -> patterns.put(p.attribute(), p.pattern()));
        JobProgress.Process process = run.progress().startProcess("Reserved values");
        JobProgress.Stage stage = process.startStage("Fill pools below " + pools.settings().threshold() + " up to "
                + pools.settings().limit() + " (" + planned.size() + " pools)", planned.size(),
                JobProgress.FailurePolicy.SKIP_ITEM);
        exchange.setVariable(PLAN, new Plan(planned, process, stage));
    }

    /**
     * Pools of the programs answer: tracker programs only, generated attributes with a pattern (settings may narrow
     * them), one pool per org unit code of the program when the pattern uses ORG_UNIT_CODE.
     */
    static List<Pool> plan(JsonNode answer, ReservedValueSettings settings) {
        Set<Pool> planned = new LinkedHashSet<>();
        for (JsonNode program : answer.path("programs")) {
            if (!"WITH_REGISTRATION".equals(program.path("programType").asText())) {
                continue;
            }
            for (JsonNode link : program.path("programTrackedEntityAttributes")) {
                JsonNode attribute = link.path("trackedEntityAttribute");
                String uid = attribute.path("id").asText();
                String pattern = attribute.path("pattern").asText("").trim();
                if (!attribute.path("generated").asBoolean(false) || pattern.isEmpty()
                        || !settings.attributes().isEmpty() && !settings.attributes().contains(uid)) {
                    continue;
                }
                if (!Pool.usesOrgUnitCode(pattern)) {
                    planned.add(new Pool(uid, "", pattern));
                    continue;
                }
                for (JsonNode unit : program.path("organisationUnits")) {
                    String code = unit.path("code").asText("").trim();
                    if (!code.isEmpty() && (settings.orgUnits().isEmpty() || settings.orgUnits().contains(code))) {
                        planned.add(new Pool(uid, code, pattern));
                    }
                }
            }
        }
        return List.copyOf(planned);
    }

    /** Whether a pool is left (and the engine is not stopping). */
    public boolean hasNextPool(Exchange exchange) {
        Plan plan = exchange.getVariable(PLAN, Plan.class);
        return plan.next.hasNext() && !JobCoordinator.currentRun(exchange, STAGE).stopRequested();
    }

    /** Moves to the next pool (variables for {@link ReservedValuePools}). */
    public void nextPool(Exchange exchange) {
        Plan plan = exchange.getVariable(PLAN, Plan.class);
        Pool pool = plan.next.next();
        exchange.setVariable(ReservedValuePools.POOL, pool);
        exchange.setVariable(ReservedValuePools.WANTED, 0);
        exchange.setVariable(ReservedValuePools.WAIT, true);
        exchange.removeVariable(ReservedValuePools.RESERVED);
        plan.item = plan.stage.startItem("Pool " + describe(pool));
    }

    /**
     * Whether the pool needs central (variable rsvFill; lock held until endFill). Once central could not be reached
     * in this run (no answer, 5xx or 429 after the retries), the other pools that need values fail at once instead
     * of each waiting through the retries again.
     */
    public void startFill(Exchange exchange) throws InterruptedException {
        Plan plan = exchange.getVariable(PLAN, Plan.class);
        if (plan.centralDown == null) {
            pools.startFill(exchange);
            return;
        }
        exchange.setVariable(ReservedValuePools.FILL, false);
        Pool pool = exchange.getVariable(ReservedValuePools.POOL, Pool.class);
        if (pools.tidy(pool) < pools.settings().threshold()) {
            poolFailed(exchange, plan, pool, plan.centralDown);
        }
    }

    /** Central's values are stored: the pool's item is done. */
    public void filled(Exchange exchange) {
        Plan plan = exchange.getVariable(PLAN, Plan.class);
        Pool pool = exchange.getVariable(ReservedValuePools.POOL, Pool.class);
        int reserved = exchange.getVariable(ReservedValuePools.RESERVED, 0, Integer.class);
        plan.requested += requested(exchange);
        plan.received += reserved;
        plan.item.complete("Reserved " + reserved + " values on central; " + pools.table().count(pool) + " in the pool");
    }

    /** The reservation failed (after the retries): the pool's item and the run fail, naming the pool. */
    public void fillFailed(Exchange exchange) {
        Plan plan = exchange.getVariable(PLAN, Plan.class);
        Pool pool = exchange.getVariable(ReservedValuePools.POOL, Pool.class);
        plan.requested += requested(exchange);
        String reason = pools.fillFailed(exchange);
        if (ReservedValuePools.unreachable(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))) {
            plan.centralDown = reason;
        }
        poolFailed(exchange, plan, pool, reason);
    }

    private void poolFailed(Exchange exchange, Plan plan, Pool pool, String reason) {
        plan.failedPools++;
        String text = "Could not reserve values for " + describe(pool) + ": " + reason;
        plan.item.fail(text);
        JobCoordinator.currentRun(exchange, STAGE).recordFailure(text);
        LOG.warn("RESERVED_VALUES: {}", text);
    }

    /** After each pool: an item not filled and not failed needed nothing. */
    public void poolDone(Exchange exchange) {
        Plan plan = exchange.getVariable(PLAN, Plan.class);
        Pool pool = exchange.getVariable(ReservedValuePools.POOL, Pool.class);
        if (!plan.item.isComplete()) {
            plan.item.complete(pools.metrics().size(pool) + " values in the pool, no fill needed");
        }
    }

    /** End of the stage: summary, and the numbers for the metrics. */
    public void finish(Exchange exchange) {
        Plan plan = exchange.getVariable(PLAN, Plan.class);
        JobRun run = JobCoordinator.currentRun(exchange, STAGE);
        String summary = plan.pools.size() + " pools, " + plan.received + " values reserved on central"
                + (plan.failedPools == 0 ? "" : ", " + plan.failedPools + " pools could not be filled");
        if (plan.failedPools == 0) {
            plan.stage.complete(summary);
            plan.process.complete(summary);
        } else {
            plan.stage.fail(summary);
            plan.process.fail(summary);
        }
        run.recordStage(StageOutcome.of(STAGE, plan.requested, plan.received, 0, plan.failedPools, plan.started,
                plan.failedPools == 0));
    }

    /** The stage stopped before or between pools (local DHIS2 unreachable, unreadable answer...). */
    public void stageFailed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = "Reserved values: " + (e == null ? "unknown failure" : e.getMessage());
        JobCoordinator.currentRun(exchange, STAGE).recordFailure(reason);
        Plan plan = exchange.getVariable(PLAN, Plan.class);
        if (plan != null) {
            plan.process.fail(reason);
        }
        LOG.warn("RESERVED_VALUES failed: {}", reason);
    }

    private static long requested(Exchange exchange) {
        String query = exchange.getVariable("rsvQuery", "", String.class);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("numberToReserve=(\\d+)").matcher(query);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    static String describe(Pool pool) {
        return "attribute " + pool.attribute() + (pool.orgUnitCode().isEmpty() ? "" : " org unit " + pool.orgUnitCode());
    }
}
