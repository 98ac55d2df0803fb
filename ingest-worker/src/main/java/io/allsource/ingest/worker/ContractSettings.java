package io.allsource.ingest.worker;

import io.allsource.ingest.command.CommandLimits;
import io.allsource.ingest.publish.EventsFormat;
import java.util.Objects;

/**
 * How the worker holds up its side of the wire contract: who registers its schemas, how events are written, and the
 * limits commands must respect.
 *
 * @param registration whether the worker registers the results and events schemas itself (the embedded mode) or finds
 *                     them registered by a deployment step (production)
 * @param eventsFormat how events are written to the events topic
 * @param limits       the size limits of a command, checked before any I/O
 */
public record ContractSettings(SchemaRegistration registration, EventsFormat eventsFormat, CommandLimits limits) {

    /** Whose job registering the worker's own schemas is. */
    public enum SchemaRegistration {
        /** The worker registers them on first use. */
        AUTOMATIC,
        /** A deployment step has registered them; the worker only looks them up. */
        PRE_REGISTERED
    }

    /** Registered by a deployment step, Avro events, the default limits. */
    public static final ContractSettings DEFAULT = new ContractSettings(SchemaRegistration.PRE_REGISTERED,
            EventsFormat.AVRO, CommandLimits.DEFAULT);

    /** The embedded mode's: the worker registers its own schemas; Avro events, the default limits. */
    public static final ContractSettings EMBEDDED = DEFAULT.withRegistration(SchemaRegistration.AUTOMATIC);

    public ContractSettings {
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(eventsFormat, "eventsFormat");
        Objects.requireNonNull(limits, "limits");
    }

    public ContractSettings withRegistration(SchemaRegistration value) {
        return new ContractSettings(value, eventsFormat, limits);
    }

    public ContractSettings withEventsFormat(EventsFormat value) {
        return new ContractSettings(registration, value, limits);
    }

    boolean autoRegister() {
        return registration == SchemaRegistration.AUTOMATIC;
    }
}
