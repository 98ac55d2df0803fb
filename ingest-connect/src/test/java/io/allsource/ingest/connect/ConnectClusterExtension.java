package io.allsource.ingest.connect;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link TestConnectCluster} parameters to the one Connect cluster of the test JVM, started on first use and
 * stopped after the last test. Tests keep apart by topics and connectors of their own.
 */
final class ConnectClusterExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ConnectClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestConnectCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(TestConnectCluster.class, key -> TestConnectCluster.start(),
                        TestConnectCluster.class);
    }
}
