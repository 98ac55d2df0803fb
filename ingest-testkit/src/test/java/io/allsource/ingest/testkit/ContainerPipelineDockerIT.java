package io.allsource.ingest.testkit;

import io.allsource.ingest.testing.Backend;
import org.junit.jupiter.api.Tag;

/**
 * The pipeline contract on Kafka and PostgreSQL in containers of the images built here, with the extension registered
 * through the annotation. Needs Docker: runs in the docker profile only, and fails there without an engine.
 */
@Tag("docker")
@IngestPipelineTest(backend = Backend.TESTCONTAINERS)
class ContainerPipelineDockerIT extends PipelineContract {

    @Override
    Backend expectedBackend() {
        return Backend.TESTCONTAINERS;
    }
}
