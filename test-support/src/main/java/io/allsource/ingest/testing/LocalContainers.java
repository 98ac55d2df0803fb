package io.allsource.ingest.testing;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.util.Arrays;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * What the container backend does to every container it starts: it never pulls an image (the images are built on
 * this machine, and no image registry may be reachable: a missing image fails the start naming it), and it publishes
 * the container's ports on 127.0.0.1 only, each on a free port Docker picks. Stateless.
 */
final class LocalContainers {

    private static final ImagePullPolicy NEVER_PULL = new ImagePullPolicy() {
        @Override
        public boolean shouldPull(DockerImageName imageName) {
            return false;
        }

        @Override
        public String toString() {
            return "never pull: images are built locally";
        }
    };

    private LocalContainers() {
    }

    /** Applies both rules to {@code container} before it is started. */
    static <T extends GenericContainer<?>> T local(T container) {
        container.withImagePullPolicy(NEVER_PULL);
        container.withCreateContainerCmdModifier(LocalContainers::publishOnLoopback);
        return container;
    }

    /** Replaces the port bindings Testcontainers made (on every interface) with the same ports on loopback. */
    private static void publishOnLoopback(CreateContainerCmd command) {
        ExposedPort[] exposed = command.getExposedPorts();
        if (exposed == null || command.getHostConfig() == null) {
            return;
        }
        command.getHostConfig().withPortBindings(Arrays.stream(exposed)
                .map(port -> new PortBinding(Ports.Binding.bindIp("127.0.0.1"), port))
                .toList());
    }
}
