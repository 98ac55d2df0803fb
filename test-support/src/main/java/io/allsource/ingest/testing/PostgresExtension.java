package io.allsource.ingest.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives every test class a fresh {@link TestDatabase} on one {@link PostgresServer} shared by the whole test JVM.
 *
 * <p>Declare a {@code TestDatabase} parameter on the constructor, a {@code @BeforeAll} or a test method; every
 * parameter within one test class receives the same database, dropped after the class.
 */
public final class PostgresExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        PostgresServer server = server(context);
        if (parameter.getParameter().getType() == PostgresServer.class) {
            return server;
        }
        Class<?> testClass = context.getRequiredTestClass();
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(
                testClass, key -> server.createDatabase(testClass.getSimpleName()), TestDatabase.class);
    }

    private static PostgresServer server(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(PostgresServer.class, key -> PostgresServer.start(), PostgresServer.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }
}
