package io.allsource.ingest.testkit;

import io.allsource.ingest.client.IngestClient;
import io.allsource.ingest.testing.Backend;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestTopics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A JUnit 5 extension that gives a service's tests the whole ingestion pipeline: a Kafka cluster, a PostgreSQL
 * server, a schema registry and an in-process worker, and an {@link IngestClient} on them. It injects
 * {@link IngestPipeline}, {@link IngestClient} and {@link IngestTopics} into constructors, lifecycle methods and test
 * methods; {@link IngestPipeline} also gives the bootstrap servers, the database's JDBC URL, user and password, and a
 * reader of the events topic ({@link IngestPipeline#events()}).
 *
 * <pre>{@code
 * class OrderServiceIT {
 *     @RegisterExtension
 *     static final IngestPipelineExtension PIPELINE = IngestPipelineExtension.builder()
 *             .backend(Backend.IN_JVM)                 // or Backend.TESTCONTAINERS, with a Docker engine
 *             .lifecycle(PipelineLifecycle.PER_CLASS)  // the default
 *             .build();
 *
 *     @Test
 *     void appendsTheOrder(IngestClient client, IngestPipeline pipeline) {
 *         CommandResult result = client.append(Command.of("tenant-a")
 *                 .append(Append.to("order-1").expectingNoStream().event("OrderPlaced", "order-1", "{}")))
 *                 .join();
 *         assertThat(result.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
 *         assertThat(pipeline.events().awaitEvents("order-1", 1)).hasSize(1);
 *     }
 * }
 * }</pre>
 *
 * <p>The servers start on first use and are shared by every test class of the JVM that uses the same backend; each
 * pipeline has its own topics and database, so test classes do not see each other's streams. With
 * {@link PipelineLifecycle#PER_CLASS} a pipeline serves all the tests of a class, with
 * {@link PipelineLifecycle#PER_TEST} each test method gets a new one. Everything is closed by JUnit when its scope
 * ends: the pipeline after its class or test, the servers at the end of the run.
 *
 * <p>The schema registry (Apicurio Registry in a child JVM) is unpacked by the build into the folder named by the
 * system property {@value TestSchemaRegistry#HOME_PROPERTY} (see the README), unless {@link Builder#registryUrl}
 * names a running one. The container backend needs the Testcontainers settings of the README where no image registry
 * can be reached. The extension itself is immutable and thread-safe.
 */
public final class IngestPipelineExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(IngestPipelineExtension.class);
    private static final String PIPELINE = "pipeline";

    private final PipelineOptions options;

    /** The form {@link IngestPipelineTest} registers: the options are read from the annotation of the test class. */
    public IngestPipelineExtension() {
        this.options = null;
    }

    private IngestPipelineExtension(PipelineOptions options) {
        this.options = options;
    }

    /** A builder with the defaults: {@link Backend#IN_JVM}, {@link PipelineLifecycle#PER_CLASS}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (options(context).lifecycle() == PipelineLifecycle.PER_CLASS) {
            pipeline(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (options(context).lifecycle() == PipelineLifecycle.PER_TEST) {
            pipeline(context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == IngestPipeline.class || type == IngestClient.class || type == IngestTopics.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (options(context).lifecycle() == PipelineLifecycle.PER_TEST && context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("A per-test pipeline is injected into test methods and "
                    + "@BeforeEach/@AfterEach methods, not into " + parameter.getDeclaringExecutable());
        }
        IngestPipeline pipeline = pipeline(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == IngestClient.class) {
            return pipeline.client();
        }
        return type == IngestTopics.class ? pipeline.topics() : pipeline;
    }

    /** The pipeline of the current class or test, started on first use. */
    private IngestPipeline pipeline(ExtensionContext context) {
        PipelineOptions current = options(context);
        ExtensionContext scope = current.lifecycle() == PipelineLifecycle.PER_TEST ? context : classContext(context);
        String name = scope.getRequiredTestClass().getSimpleName()
                + scope.getTestMethod().map(method -> "-" + method.getName()).orElse("");
        return scope.getStore(NAMESPACE).getOrComputeIfAbsent(PIPELINE,
                key -> IngestPipeline.start(servers(context, current.backend()), registryUrl(context, current),
                        current, name),
                IngestPipeline.class);
    }

    private static TestServers servers(ExtensionContext context, Backend backend) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(TestServers.class.getName() + "." + backend,
                key -> TestServers.start(backend), TestServers.class);
    }

    private static String registryUrl(ExtensionContext context, PipelineOptions options) {
        return options.registryUrl().orElseGet(() -> context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(TestSchemaRegistry.class, key -> TestSchemaRegistry.start(),
                        TestSchemaRegistry.class).url());
    }

    private PipelineOptions options(ExtensionContext context) {
        if (options != null) {
            return options;
        }
        return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), IngestPipelineTest.class)
                .map(PipelineOptions::of)
                .orElseThrow(() -> new ExtensionConfigurationException("IngestPipelineExtension without options: "
                        + "annotate the class with @IngestPipelineTest or register the extension with builder()"));
    }

    /** The context of the test class a context belongs to (itself for a class context). */
    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    /** Options of an {@link IngestPipelineExtension}. Not thread-safe; build once, in a static field. */
    public static final class Builder {

        private Backend backend = Backend.IN_JVM;
        private PipelineLifecycle lifecycle = PipelineLifecycle.PER_CLASS;
        private final Map<String, String> workerSettings = new LinkedHashMap<>();
        private String registryUrl;
        private Duration clientTimeout = PipelineOptions.DEFAULT_CLIENT_TIMEOUT;

        private Builder() {
        }

        /**
         * Which servers run Kafka and PostgreSQL. {@code Backend.configured(Backend.IN_JVM)} lets the system property
         * {@value Backend#PROPERTY} choose.
         */
        public Builder backend(Backend value) {
            this.backend = Objects.requireNonNull(value, "backend");
            return this;
        }

        /** One pipeline per test class (the default) or per test method. */
        public Builder lifecycle(PipelineLifecycle value) {
            this.lifecycle = Objects.requireNonNull(value, "lifecycle");
            return this;
        }

        /**
         * A worker setting by its name in the README's table ({@code events-format}, {@code batch-size}, ...), over
         * the testkit's own (topic names, group, database, registry, {@code auto-register-schemas=true}, no metrics
         * port). A setting the worker does not know fails the pipeline's start, naming it.
         */
        public Builder workerSetting(String name, String value) {
            workerSettings.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** A running schema registry's Confluent API URL to use instead of starting one. */
        public Builder registryUrl(String url) {
            this.registryUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /** How long the injected client waits for a result; default 60 seconds. */
        public Builder clientTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("clientTimeout must be a positive duration, got " + timeout);
            }
            this.clientTimeout = timeout;
            return this;
        }

        public IngestPipelineExtension build() {
            return new IngestPipelineExtension(options());
        }

        PipelineOptions options() {
            return new PipelineOptions(backend, lifecycle, workerSettings, Optional.ofNullable(registryUrl),
                    clientTimeout);
        }
    }
}
