package io.allsource.ingest.testkit;

import io.allsource.ingest.testing.Backend;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a whole pipeline started by {@link IngestPipelineExtension}: the short form of registering
 * the extension with its builder. Use one form per class, not both.
 *
 * <pre>{@code
 * @IngestPipelineTest(backend = Backend.IN_JVM)
 * class OrderServiceIT {
 *     @Test
 *     void placesAnOrder(IngestClient client, IngestPipeline pipeline) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(IngestPipelineExtension.class)
public @interface IngestPipelineTest {

    /** Which servers run Kafka and PostgreSQL; the in-JVM ones need no Docker. */
    Backend backend() default Backend.IN_JVM;

    /** One pipeline per class (the default) or per test method. */
    PipelineLifecycle lifecycle() default PipelineLifecycle.PER_CLASS;

    /** Worker settings as {@code name=value} pairs, such as {@code "events-format=json-envelope"}. */
    String[] workerSettings() default {};
}
