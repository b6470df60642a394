package org.dhis2.sync.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A job run's progress in DHIS2's shape (scheduling/JobProgress): processes made of stages made of items, each
 * with status, summary or error and timings. Served as {@code /api/scheduling/completed/{jobType}}. Nodes are
 * handles, so that pages running in parallel each complete their own item.
 */
public final class JobProgress {

    public enum Status { RUNNING, SUCCESS, ERROR, CANCELLED }

    /** DHIS2's FailurePolicy names. */
    public enum FailurePolicy { PARENT, FAIL, SKIP_STAGE, SKIP_ITEM, SKIP_ITEM_OUTLIER }

    private final String jobId;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    /** Told of every node that starts or ends, so the tree can be written as the run goes. */
    private volatile Runnable onChange = () -> { };

    public JobProgress(String jobId) {
        this.jobId = jobId;
    }

    /** Called after a process, stage or item starts or ends (from whichever thread changed it). */
    public void onChange(Runnable listener) {
        this.onChange = listener;
    }

    void changed() {
        onChange.run();
    }

    public Process startProcess(String description) {
        Process p = new Process(this, jobId, description);
        processes.add(p);
        changed();
        return p;
    }

    public List<Process> processes() {
        return processes;
    }

    /** True when any process, stage or item ended in ERROR. */
    public boolean hasErrors() {
        return processes.stream().anyMatch(p -> p.getStatus() == Status.ERROR
                || p.getStages().stream().anyMatch(s -> s.getStatus() == Status.ERROR
                || s.getItems().stream().anyMatch(i -> i.getStatus() == Status.ERROR)));
    }

    /** Fields common to process, stage and item; public getters make the JSON. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public abstract static class Node {
        private final JobProgress tree;
        private final String description;
        private volatile Status status = Status.RUNNING;
        private volatile String summary;
        private volatile String error;
        private final Instant startedTime = Instant.now();
        private volatile Instant completedTime;

        Node(JobProgress tree, String description) {
            this.tree = tree;
            this.description = description;
        }

        JobProgress tree() {
            return tree;
        }

        public String getDescription() {
            return description;
        }

        public Status getStatus() {
            return status;
        }

        public String getSummary() {
            return summary;
        }

        public String getError() {
            return error;
        }

        public Instant getStartedTime() {
            return startedTime;
        }

        public Instant getCompletedTime() {
            return completedTime;
        }

        public Long getDuration() {
            Instant end = completedTime == null ? Instant.now() : completedTime;
            return end.toEpochMilli() - startedTime.toEpochMilli();
        }

        public boolean isComplete() {
            return completedTime != null;
        }

        public void complete(String summaryText) {
            finish(Status.SUCCESS, summaryText, null);
        }

        public void fail(String errorText) {
            finish(Status.ERROR, null, errorText);
        }

        void finish(Status end, String summaryText, String errorText) {
            if (completedTime != null) {
                return;
            }
            summary = summaryText;
            error = errorText;
            status = end;
            completedTime = Instant.now();
            tree.changed();
        }
    }

    @JsonPropertyOrder({"jobId", "description", "status", "complete", "summary", "error", "startedTime",
            "completedTime", "duration", "stages"})
    public static final class Process extends Node {
        private final String jobId;
        private final List<Stage> stages = new CopyOnWriteArrayList<>();

        Process(JobProgress tree, String jobId, String description) {
            super(tree, description);
            this.jobId = jobId;
        }

        public String getJobId() {
            return jobId;
        }

        public List<Stage> getStages() {
            return stages;
        }

        public Stage startStage(String description, int totalItems, FailurePolicy onFailure) {
            Stage s = new Stage(tree(), description, totalItems, onFailure);
            stages.add(s);
            tree().changed();
            return s;
        }
    }

    @JsonPropertyOrder({"description", "totalItems", "onFailure", "status", "complete", "summary", "error",
            "startedTime", "completedTime", "duration", "items"})
    public static final class Stage extends Node {
        private volatile int totalItems;
        private final FailurePolicy onFailure;
        private final List<Item> items = new CopyOnWriteArrayList<>();

        Stage(JobProgress tree, String description, int totalItems, FailurePolicy onFailure) {
            super(tree, description);
            this.totalItems = totalItems;
            this.onFailure = onFailure;
        }

        public int getTotalItems() {
            return totalItems;
        }

        public void setTotalItems(int totalItems) {
            this.totalItems = totalItems;
        }

        public FailurePolicy getOnFailure() {
            return onFailure;
        }

        public List<Item> getItems() {
            return items;
        }

        public Item startItem(String description) {
            Item i = new Item(tree(), description, onFailure);
            items.add(i);
            tree().changed();
            return i;
        }
    }

    @JsonPropertyOrder({"description", "onFailure", "status", "complete", "summary", "error", "startedTime",
            "completedTime", "duration"})
    public static final class Item extends Node {
        private final FailurePolicy onFailure;

        Item(JobProgress tree, String description, FailurePolicy onFailure) {
            super(tree, description);
            this.onFailure = onFailure;
        }

        public FailurePolicy getOnFailure() {
            return onFailure;
        }
    }
}
