package io.allsource.ingest.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewsMainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void printsEveryOptionForHelp() {
        int status = run("--help");

        assertThat(status).isZero();
        for (ViewsOption option : ViewsOption.values()) {
            assertThat(out.toString()).contains(option.flag());
        }
    }

    @Test
    void anUnknownOptionIsBadUsage() {
        int status = run("--bootstrap-servers", "k:9092", "--no-such-thing", "1");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("unknown option --no-such-thing");
    }

    @Test
    void refusesToStartNamingTheMissingSetting() {
        int status = run("--bootstrap-servers=k:9092");

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("registry-url is required");
    }

    @Test
    void theLaunchersDefaultsGiveWayToFlags() {
        int status = ViewsMain.run(new String[] {"--registry-url", "not-a-url"},
                Map.of("bootstrap-servers", "k:9092", "registry-url", "http://registry:8081"), Map.of(),
                new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("registry-url").contains("not-a-url")
                .doesNotContain("bootstrap-servers is required");
    }

    @Test
    void readsBothFlagFormsAndKafkaProperties() {
        Map<String, String> flags = ViewsMain.flags(new String[] {"--views-threads", "2", "--topic-events=x.events",
                "--kafka", "security.protocol=SSL"});

        assertThat(flags).containsEntry("views-threads", "2").containsEntry("topic-events", "x.events")
                .containsEntry("kafka.security.protocol", "SSL");
        assertThatThrownBy(() -> ViewsMain.flags(new String[] {"--kafka", "nonsense"}))
                .hasMessageContaining("property=value");
        assertThatThrownBy(() -> ViewsMain.flags(new String[] {"--views-threads"}))
                .hasMessageContaining("needs a value");
    }

    private int run(String... args) {
        return ViewsMain.run(args, Map.of(), Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }
}
