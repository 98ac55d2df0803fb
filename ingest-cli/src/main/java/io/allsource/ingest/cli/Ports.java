package io.allsource.ingest.cli;

import io.allsource.ingest.embedded.FreePorts;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The loopback ports of the embedded servers, chosen free on the first run and kept in {@code .ingest/ports.properties}
 * so that a restart listens where clients expect it; a port taken meanwhile is replaced by a free one.
 */
final class Ports {

    private final Path file;
    private final Properties ports = new Properties();

    Ports(Path dataDirectory) {
        this.file = dataDirectory.resolve("ports.properties");
        if (Files.isReadable(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                ports.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }
    }

    /** The port kept for {@code name} if it is still free, else a new free one. */
    int of(String name) {
        String kept = ports.getProperty(name);
        int port = kept != null && isFree(Integer.parseInt(kept)) ? Integer.parseInt(kept) : FreePorts.find();
        ports.setProperty(name, Integer.toString(port));
        return port;
    }

    void save() {
        try (Writer writer = Files.newBufferedWriter(file)) {
            ports.store(writer, "Ports of the embedded servers");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
