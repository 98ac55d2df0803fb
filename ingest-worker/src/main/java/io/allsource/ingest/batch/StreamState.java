package io.allsource.ingest.batch;

/**
 * What the store knows of an existing stream: the partition it lives in, its current version, and the tenant it
 * belongs to.
 *
 * @param tenantId the tenant whose command created the stream; {@code null} for a stream with no owner on record (one
 *                 without events written before tenants were kept): the first command that appends to it takes it
 */
public record StreamState(int partition, long currentVersion, String tenantId) {

    /** Whether a command of {@code tenant} may append to the stream. */
    public boolean admits(String tenant) {
        return tenantId == null || tenantId.equals(tenant);
    }
}
