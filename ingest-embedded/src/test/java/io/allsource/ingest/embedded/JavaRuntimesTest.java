package io.allsource.ingest.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimesTest {

    @Test
    void findsThisJvmWhenItIsNewEnough() {
        assertThat(JavaRuntimes.atLeast(JavaRuntimes.currentFeature())).contains(JavaRuntimes.current());
    }

    @Test
    void readsTheFeatureVersionFromTheReleaseFile(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Eclipse\"\nJAVA_VERSION=\"21.0.4\"\n");

        assertThat(JavaRuntimes.featureOf(home)).contains(21);
    }

    @Test
    void readsOldStyleVersionsAndFallsBackToTheFolderName(@TempDir Path root) throws Exception {
        Path legacy = Files.createDirectory(root.resolve("legacy"));
        Files.writeString(legacy.resolve("release"), "JAVA_VERSION=\"1.8.0_402\"\n");
        Path named = Files.createDirectory(root.resolve("temurin-25-jdk-amd64"));

        assertThat(JavaRuntimes.featureOf(legacy)).contains(8);
        assertThat(JavaRuntimes.featureOf(named)).contains(25);
    }

    @Test
    void findsNothingNewerThanAnyJavaThatCanExist() {
        assertThat(JavaRuntimes.atLeast(1_000)).isEmpty();
    }
}
