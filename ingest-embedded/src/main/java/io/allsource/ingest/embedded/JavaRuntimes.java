package io.allsource.ingest.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds Java runtimes to launch child JVMs with, such as a newer Java for a server that needs one. */
public final class JavaRuntimes {

    private static final Pattern FEATURE_IN_NAME = Pattern.compile("(?<![\\d.])(?:1\\.)?(\\d{1,2})(?!\\d)");
    private static final List<Path> SEARCHED = List.of(Path.of("/usr/lib/jvm"), Path.of("/opt/java"),
            Path.of("/Library/Java/JavaVirtualMachines"));

    private JavaRuntimes() {
    }

    /** The {@code java} executable of this JVM. */
    public static Path current() {
        return ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /** The feature version (17, 21, ...) of this JVM. */
    public static int currentFeature() {
        return Runtime.version().feature();
    }

    /**
     * A {@code java} executable of feature version {@code minimumFeature} or newer: this JVM's if it is new enough,
     * else the newest found under {@code JAVA_HOME}, {@code /usr/lib/jvm} and the other usual places.
     */
    public static Optional<Path> atLeast(int minimumFeature) {
        if (currentFeature() >= minimumFeature) {
            return Optional.of(current());
        }
        List<Candidate> candidates = new ArrayList<>();
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null) {
            candidate(Path.of(javaHome)).ifPresent(candidates::add);
        }
        for (Path root : SEARCHED) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> homes = Files.list(root)) {
                    homes.map(JavaRuntimes::candidate).flatMap(Optional::stream).forEach(candidates::add);
                } catch (IOException e) {
                    // an unreadable folder holds no usable runtime
                }
            }
        }
        return candidates.stream()
                .filter(candidate -> candidate.feature() >= minimumFeature)
                .max(Comparator.comparingInt(Candidate::feature))
                .map(Candidate::java);
    }

    private static Optional<Candidate> candidate(Path home) {
        Path java = home.resolve("bin").resolve("java");
        Path macJava = home.resolve("Contents/Home/bin/java");
        Path executable = Files.isExecutable(java) ? java : Files.isExecutable(macJava) ? macJava : null;
        if (executable == null) {
            return Optional.empty();
        }
        return featureOf(home).map(feature -> new Candidate(executable, feature));
    }

    /** The feature version a JDK home declares in its {@code release} file, else the one its name suggests. */
    static Optional<Integer> featureOf(Path home) {
        Path release = home.resolve("release");
        if (Files.isReadable(release)) {
            try {
                for (String line : Files.readAllLines(release)) {
                    if (line.startsWith("JAVA_VERSION=")) {
                        String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                        String feature = version.startsWith("1.") ? version.substring(2) : version;
                        return Optional.of(Integer.parseInt(feature.split("[.+-]")[0]));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // fall back to the folder's name
            }
        }
        Matcher matcher = FEATURE_IN_NAME.matcher(home.getFileName().toString());
        return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
    }

    private record Candidate(Path java, int feature) {
    }
}
