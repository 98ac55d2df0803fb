package io.allsource.ingest.testkit;

import io.allsource.ingest.testing.Backend;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pipeline contract on the in-JVM servers, with the extension registered through its builder. No Docker. */
class InJvmPipelineIT extends PipelineContract {

    @RegisterExtension
    static final IngestPipelineExtension PIPELINE = IngestPipelineExtension.builder()
            .backend(Backend.IN_JVM)
            .build();

    @Override
    Backend expectedBackend() {
        return Backend.IN_JVM;
    }
}
