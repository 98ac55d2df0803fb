package io.allsource.ingest.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's testkit example is the code of {@link ReadmeExampleIT}, which compiles and passes. */
class ReadmeExampleTest {

    @Test
    void theReadmeShowsTheCompiledExampleWordForWord() throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/allsource/ingest/testkit/ReadmeExampleIT.java"));
        String example = source.substring(source.indexOf("// README example start\n") + 24,
                source.indexOf("// README example end"));
        String readme = Files.readString(Path.of("../README.md"));

        Matcher block = Pattern.compile("```java\n(import static org\\.assertj[^`]*?)```")
                .matcher(readme);
        assertThat(block.find()).as("a java block in the README that starts with the example's first import").isTrue();
        assertThat(block.group(1)).isEqualTo(example);
    }
}
