package io.allsource.ingest.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a running pipeline's servers answer: written by {@code ingest run} to {@code .ingest/endpoints.properties}, read
 * by the other subcommands when they are given no servers of their own.
 *
 * @param topicPrefix prefix of the pipeline's topic names, empty for the default names
 * @param viewsUrl    the live views' HTTP address, or null when they do not run
 */
record Endpoints(String bootstrapServers, String registryUrl, String jdbcUrl, String topicPrefix, String viewsUrl) {

    static final String FILE_NAME = "endpoints.properties";

    static Optional<Endpoints> read(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE_NAME);
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return Optional.of(new Endpoints(properties.getProperty("bootstrap-servers"),
                properties.getProperty("registry-url"), properties.getProperty("db-url"),
                properties.getProperty("topic-prefix", ""), properties.getProperty("views-url")));
    }

    Endpoints withViews(String url) {
        return new Endpoints(bootstrapServers, registryUrl, jdbcUrl, topicPrefix, url);
    }

    void write(Path dataDirectory) {
        Properties properties = new Properties();
        properties.setProperty("bootstrap-servers", bootstrapServers);
        properties.setProperty("registry-url", registryUrl);
        properties.setProperty("db-url", jdbcUrl);
        properties.setProperty("topic-prefix", topicPrefix);
        if (viewsUrl != null) {
            properties.setProperty("views-url", viewsUrl);
        }
        Path file = dataDirectory.resolve(FILE_NAME);
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, "Endpoints of the pipeline started by ingest run");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    static void delete(Path dataDirectory) {
        try {
            Files.deleteIfExists(dataDirectory.resolve(FILE_NAME));
        } catch (IOException e) {
            // a stale file is overwritten by the next run
        }
    }
}
