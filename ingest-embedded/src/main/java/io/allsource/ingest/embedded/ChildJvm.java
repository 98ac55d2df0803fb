package io.allsource.ingest.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Java main class to run in a child JVM, as an operator would start it: which {@code java}, class path, JVM options,
 * system properties, arguments, environment and log file. The main class and its arguments are data, so that this
 * module knows nothing of what it launches (the worker, the broker). Output and errors go to the log file, appended.
 *
 * <p>Defaults: this JVM's {@code java} ({@link JavaRuntimes#current()}) and class path, no JVM options. A builder:
 * not thread-safe; {@link #start()} may be called again for another process of the same command line.
 */
public final class ChildJvm {

    private final String mainClass;
    private Path java = JavaRuntimes.current();
    private String classpath = System.getProperty("java.class.path");
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final List<String> arguments = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path logFile;

    private ChildJvm(String mainClass) {
        this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
    }

    /** A child JVM that runs {@code mainClass} (a fully qualified class name on the class path). */
    public static ChildJvm of(String mainClass) {
        return new ChildJvm(mainClass);
    }

    /** The {@code java} executable to run (default: this JVM's). */
    public ChildJvm java(Path executable) {
        this.java = Objects.requireNonNull(executable, "java");
        return this;
    }

    /** The class path (default: this JVM's). */
    public ChildJvm classpath(String path) {
        this.classpath = Objects.requireNonNull(path, "classpath");
        return this;
    }

    /** JVM options such as {@code -Xmx256m}, placed before the class path. */
    public ChildJvm jvmOptions(String... options) {
        jvmOptions.addAll(List.of(options));
        return this;
    }

    /** A system property, passed as {@code -Dname=value}. */
    public ChildJvm systemProperty(String name, String value) {
        systemProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Arguments of the main class, in order. */
    public ChildJvm arguments(String... values) {
        return arguments(List.of(values));
    }

    /** Arguments of the main class, in order. */
    public ChildJvm arguments(List<String> values) {
        arguments.addAll(values);
        return this;
    }

    /** The argument {@code --name=value}, the form of a long option. */
    public ChildJvm option(String name, String value) {
        arguments.add("--" + name + "=" + value);
        return this;
    }

    /** An environment variable of the child, beside those it inherits from this JVM. */
    public ChildJvm environment(String name, String value) {
        environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Where the child's output and errors go, appended; its folder is created when missing. Required. */
    public ChildJvm logFile(Path file) {
        this.logFile = Objects.requireNonNull(file, "logFile");
        return this;
    }

    /** The command line: {@code java}, JVM options, system properties, class path, main class, arguments. */
    public List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        systemProperties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(arguments);
        return List.copyOf(command);
    }

    /** The log file, or {@code null} while none is set. */
    public Path logFile() {
        return logFile;
    }

    /**
     * Starts the child JVM; it runs until it exits or is signalled ({@link Signals}, {@link ChildProcesses#stop}).
     *
     * @throws IllegalStateException when no log file is set
     * @throws UncheckedIOException  when the process cannot be started
     */
    public Process start() {
        if (logFile == null) {
            throw new IllegalStateException("No log file set for the child JVM running " + mainClass);
        }
        try {
            Path folder = logFile.toAbsolutePath().getParent();
            if (folder != null) {
                Files.createDirectories(folder);
            }
            ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + mainClass + " in a child JVM (log " + logFile + ")", e);
        }
    }
}
