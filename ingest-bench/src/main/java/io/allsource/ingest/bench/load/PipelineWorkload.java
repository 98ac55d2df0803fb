package io.allsource.ingest.bench.load;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The pipeline workloads of the benchmark, each run on topics, streams and tables of its own. */
public enum PipelineWorkload {

    NEW_STREAMS("new-streams", "many streams, 1 event per command, NO_STREAM then EXACT"),
    CONTENDED("contended", "few hot streams, EXACT versions from the last result seen: conflicts happen"),
    BATCH("batch", "many streams, 10 events per command, NO_STREAM then EXACT"),
    MULTI_STREAM("multi-stream", "2-3 streams per command sharing a partition key, 1 event each");

    /** Events per command of the batch workload. */
    public static final int BATCH_EVENTS = 10;

    private final String label;
    private final String description;

    PipelineWorkload(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /**
     * A generator of this workload's commands.
     *
     * @param streamPrefix starts every stream id, so that runs and workloads never share a stream
     * @param streams      streams (or orders, for multi-stream) the commands go round
     * @param hotStreams   streams of the contended workload
     */
    public CommandGenerator generator(String streamPrefix, int streams, int hotStreams) {
        return switch (this) {
            case NEW_STREAMS -> new SequentialStreams(streamPrefix, streams, 1);
            case CONTENDED -> new HotStreams(streamPrefix, hotStreams);
            case BATCH -> new SequentialStreams(streamPrefix, streams, BATCH_EVENTS);
            case MULTI_STREAM -> new MultiStreamAppends(streamPrefix, streams);
        };
    }

    /** The workload labelled {@code label}, with an error naming the valid ones otherwise. */
    public static PipelineWorkload of(String label) {
        return Arrays.stream(values()).filter(workload -> workload.label.equals(label.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--workloads: unknown workload '" + label
                        + "'; valid: " + Arrays.stream(values()).map(PipelineWorkload::label)
                        .collect(Collectors.joining(", "))));
    }
}
