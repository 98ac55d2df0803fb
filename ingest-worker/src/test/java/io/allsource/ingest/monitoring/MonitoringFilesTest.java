package io.allsource.ingest.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.allsource.ingest.monitoring.MonitoringFiles.AlertRule;
import io.allsource.ingest.monitoring.MonitoringFiles.PanelQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerting rules and the dashboard under {@code deploy/} hold together: every rule well formed and unit-tested by
 * {@code promtool}, every dashboard query valid PromQL, every alert explained in the README. That the series they
 * name exist on a worker is {@code MonitoringSeriesIT}'s part.
 */
class MonitoringFilesTest {

    private static final Optional<Promtool> PROMTOOL = Promtool.onPath();

    @Test
    void everyAlertRuleHasANameAnExpressionASeverityASummaryAndADescription() {
        List<AlertRule> rules = MonitoringFiles.alertRules();

        assertThat(rules).hasSizeGreaterThanOrEqualTo(10);
        assertThat(rules).extracting(AlertRule::name).doesNotContainNull().doesNotHaveDuplicates()
                .allMatch(name -> name.startsWith("Ingest"), "named Ingest...");
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule.expr()).as(rule.name()).isNotBlank();
            assertThat(rule.labels().path("severity").asText()).as(rule.name()).isIn("critical", "warning");
            assertThat(rule.annotations().path("summary").asText()).as(rule.name()).isNotBlank();
            assertThat(rule.annotations().path("description").asText()).as(rule.name()).isNotBlank();
        });
    }

    @Test
    void theAlertsCoverWhatOperatorsArePagedFor() {
        assertThat(MonitoringFiles.alertRules()).extracting(AlertRule::name).contains("IngestWorkerDown",
                "IngestWorkerNotReady", "IngestPartitionHeld", "IngestPartitionStalled", "IngestLagGrowing",
                "IngestBatchesFenced", "IngestRetriesRising", "IngestPublicationFailing", "IngestFatalFailure");
    }

    @Test
    void alertRulesPassPromtoolsCheckAndTheirUnitTests() throws Exception {
        assumeTrue(PROMTOOL.isPresent(), "promtool is not on the PATH (Debian package prometheus)");
        Path folder = MonitoringFiles.ALERTS.getParent();

        Promtool.Run check = PROMTOOL.get().run(folder, "check", "rules", MonitoringFiles.ALERTS.toString());
        Promtool.Run tests = PROMTOOL.get().run(folder, "test", "rules", MonitoringFiles.ALERT_TESTS.toString());

        assertThat(check.exitStatus()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + MonitoringFiles.alertRules().size() + " rules found");
        assertThat(tests.exitStatus()).as(tests.output()).isZero();
        assertThat(tests.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAUnitTestWhereItFires() throws Exception {
        String tests = Files.readString(MonitoringFiles.ALERT_TESTS);

        assertThat(MonitoringFiles.alertRules()).allSatisfy(rule -> assertThat(tests).as(rule.name())
                .containsPattern("alertname: " + rule.name() + "\\s+exp_alerts:"));
    }

    @Test
    void everyDashboardQueryIsValidPromQl(@TempDir Path folder) throws Exception {
        assumeTrue(PROMTOOL.isPresent(), "promtool is not on the PATH (Debian package prometheus)");
        List<PanelQuery> queries = MonitoringFiles.panelQueries();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            rules.append("      - record: dashboard:query_").append(i).append("\n        expr: '")
                    .append(MonitoringFiles.asPrometheusQuery(queries.get(i).expr()).replace("'", "''"))
                    .append("'\n");
        }
        Path file = Files.writeString(folder.resolve("dashboard-queries.yml"), rules);

        Promtool.Run check = PROMTOOL.get().run(folder, "check", "rules", file.toString());

        assertThat(check.exitStatus()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    @Test
    void everyDashboardPanelHasADescriptionAndAQueryOfTheIngestWorkers() {
        JsonNode dashboard = MonitoringFiles.dashboard();

        assertThat(dashboard.path("uid").asText()).isNotBlank();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            String title = panel.path("title").asText();
            assertThat(panel.path("description").asText()).as(title).isNotBlank();
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(MonitoringFiles.seriesNames(target.path("expr").asText())).as(title).isNotEmpty()
                        .allMatch(name -> name.startsWith("ingest_") || name.startsWith("jvm_")
                                || name.startsWith("process_"));
            }
        }
    }

    @Test
    void theReadmeExplainsEveryAlertAndWhereTheFilesAre() throws Exception {
        String readme = Files.readString(MonitoringFiles.ROOT.resolve("README.md"));

        assertThat(readme).contains("deploy/prometheus/ingest-alerts.yml", "deploy/grafana/ingest-workers.json");
        assertThat(MonitoringFiles.alertRules()).allSatisfy(rule -> assertThat(readme).as(rule.name())
                .contains("`" + rule.name() + "`"));
    }

    @Test
    void seriesNamesAreWhatAnExpressionReadsAndNothingElse() {
        assertThat(MonitoringFiles.seriesNames("histogram_quantile(0.99, sum by (le) (rate("
                + "ingest_transaction_time_seconds_bucket{instance=~\"$instance\"}[$__rate_interval])))"))
                .containsExactly("ingest_transaction_time_seconds_bucket");
        assertThat(MonitoringFiles.seriesNames("count(count by (partition) (ingest_partition_lag != "
                + "ingest_partition_lag)) or vector(0)")).containsExactly("ingest_partition_lag");
        assertThat(MonitoringFiles.seriesNames("(max by (partition) (ingest_partition_lag) > 0) and on (partition)"
                + " (max by (partition) (changes(ingest_partition_next_offset[10m])) == 0)"))
                .containsExactly("ingest_partition_lag", "ingest_partition_next_offset");
        assertThat(MonitoringFiles.seriesNames("up{job=\"ingest-worker\"} == 0")).isEmpty();
    }
}
