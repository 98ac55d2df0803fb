package io.allsource.ingest.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ChildJvmTest {

    @Test
    void buildsJavaThenJvmOptionsThenPropertiesThenClassPathThenMainClassThenArguments() {
        ChildJvm jvm = ChildJvm.of("com.example.Main")
                .java(Path.of("/opt/java/bin/java"))
                .classpath("a.jar:b.jar")
                .jvmOptions("-Xmx256m", "-XX:+UseSerialGC")
                .systemProperty("log.level", "info")
                .arguments("--kafka", "acks=all")
                .option("worker-id", "worker-1");

        assertThat(jvm.command()).containsExactly("/opt/java/bin/java", "-Xmx256m", "-XX:+UseSerialGC",
                "-Dlog.level=info", "-cp", "a.jar:b.jar", "com.example.Main", "--kafka", "acks=all",
                "--worker-id=worker-1");
    }

    @Test
    void runsThisJvmsJavaWithThisJvmsClassPathByDefault() {
        assertThat(ChildJvm.of("com.example.Main").command()).containsExactly(JavaRuntimes.current().toString(),
                "-cp", System.getProperty("java.class.path"), "com.example.Main");
    }

    @Test
    void refusesToStartWithoutALogFile() {
        assertThatThrownBy(() -> ChildJvm.of("com.example.Main").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("No log file set for the child JVM running com.example.Main");
    }
}
