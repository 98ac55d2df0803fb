/**
 * The Java client of the ingest pipeline: {@link io.allsource.ingest.client.IngestClient} sends
 * {@link io.allsource.ingest.avro.AppendCommand}s to the commands topic and completes one future per command from the
 * results topic. Commands are built with {@link io.allsource.ingest.client.command.Command} and
 * {@link io.allsource.ingest.client.command.Append}.
 *
 * <p>Depends on the wire contract ({@code ingest-schemas}) and the Kafka clients only, never on the worker.
 */
package io.allsource.ingest.client;
