/**
 * The events topic for Kafka Connect sinks without a schema registry: {@link
 * io.allsource.ingest.connect.JsonEnvelopeSerializer} writes records as JSON with the Connect schema envelope that
 * Connect's {@code JsonConverter} reads with {@code schemas.enable=true}. Depends on the wire contract only.
 */
package io.allsource.ingest.connect;
