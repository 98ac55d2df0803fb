package io.allsource.ingest.batch;

/**
 * What the store knows of an existing stream: the partition it lives in, its current version, and the tenant it
 * belongs to.
 *
 * @param tenantId the tenant whose command created the stream; {@code null} for a stream with no owner on record (one
 *                 without events written before tenants were kept): the first command that appends to it takes it
 * @param deletedAtVersion the version the stream was deleted at, or {@code null} while it is not deleted
 */
public record StreamState(int partition, long currentVersion, String tenantId, Long deletedAtVersion) {

    /** A stream that is not deleted. */
    public StreamState(int partition, long currentVersion, String tenantId) {
        this(partition, currentVersion, tenantId, null);
    }

    /** Whether a command of {@code tenant} may append to the stream. */
    public boolean admits(String tenant) {
        return tenantId == null || tenantId.equals(tenant);
    }
}
