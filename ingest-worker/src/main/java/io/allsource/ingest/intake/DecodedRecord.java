package io.allsource.ingest.intake;

import io.allsource.ingest.batch.BatchEntry;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A commands record made ready for its batch: the entry to apply, and for a record that could not be decoded, the
 * unchanged copy that goes to the dead-letter topic.
 *
 * @param deadLetter the dead-letter copy, or {@code null} for a decoded command
 */
public record DecodedRecord(BatchEntry entry, ProducerRecord<byte[], byte[]> deadLetter) {
}
