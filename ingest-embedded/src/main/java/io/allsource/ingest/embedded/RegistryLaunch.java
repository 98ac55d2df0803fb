package io.allsource.ingest.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which schema registry the embedded mode runs, and with which Java: Apicurio Registry 3 keeping schemas in PostgreSQL
 * when its build is present and a Java 21+ runtime is found, so that schema ids survive restarts; otherwise Apicurio
 * Registry 2 in memory, with a loud warning, because records written before a restart then carry ids the new registry
 * does not know.
 */
public record RegistryLaunch(RegistryDistribution distribution, Path java) {

    private static final Logger log = LoggerFactory.getLogger(RegistryLaunch.class);

    /** The database the durable registry keeps its schemas in. */
    public record Storage(String jdbcUrl, String username, String password) {
    }

    /**
     * @param durableHome   where the Apicurio 3 build is unpacked, or {@code null} when it is not available
     * @param inMemoryHome  where the Apicurio 2 build is unpacked
     * @param javaFinder    finds a {@code java} of at least the given feature version ({@link JavaRuntimes#atLeast})
     */
    public static RegistryLaunch forEmbeddedMode(Path durableHome, Path inMemoryHome, Storage storage,
            IntFunction<Optional<Path>> javaFinder) {
        if (durableHome != null && Files.isDirectory(durableHome)) {
            RegistryDistribution durable = RegistryDistribution.apicurio3InPostgres(durableHome, storage.jdbcUrl(),
                    storage.username(), storage.password());
            Optional<Path> java = javaFinder.apply(durable.minimumJava());
            if (java.isPresent()) {
                return new RegistryLaunch(durable, java.get());
            }
            log.warn("!!! {} needs Java {}+ and none was found (set JAVA_HOME or install one): falling back to a"
                    + " registry in memory !!!", durable.description(), durable.minimumJava());
        }
        RegistryDistribution inMemory = RegistryDistribution.apicurio2InMemory(inMemoryHome);
        log.warn("!!! The schema registry keeps schemas in memory: after a restart, schema ids change and records"
                + " written before it cannot be decoded by id. Use a Java 21+ runtime for a durable registry !!!");
        Path java = javaFinder.apply(inMemory.minimumJava())
                .orElseThrow(() -> new IllegalStateException("No Java " + inMemory.minimumJava() + "+ found to run "
                        + inMemory.description()));
        return new RegistryLaunch(inMemory, java);
    }
}
