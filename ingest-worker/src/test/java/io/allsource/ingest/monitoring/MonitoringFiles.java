package io.allsource.ingest.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The monitoring files shipped under {@code deploy/} (the Prometheus alerting rules and the Grafana dashboard), as the
 * tests read them: the rules, the dashboard's query expressions, and the series names an expression reads.
 */
final class MonitoringFiles {

    static final Path ROOT = Path.of(System.getProperty("ingest.repository.root", "..")).toAbsolutePath().normalize();
    static final Path ALERTS = ROOT.resolve("deploy/prometheus/ingest-alerts.yml");
    static final Path ALERT_TESTS = ROOT.resolve("deploy/prometheus/ingest-alerts.test.yml");
    static final Path DASHBOARD = ROOT.resolve("deploy/grafana/ingest-workers.json");

    /** Series that Prometheus makes itself, not the worker. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

    /** One alerting rule: its name, expression, labels and annotations, as the file gives them. */
    record AlertRule(String name, String expr, JsonNode labels, JsonNode annotations) {
    }

    /** One query of a dashboard panel. */
    record PanelQuery(String panel, String expr) {
    }

    private MonitoringFiles() {
    }

    static List<AlertRule> alertRules() {
        JsonNode file = read(ALERTS, new ObjectMapper(new YAMLFactory()));
        List<AlertRule> rules = new ArrayList<>();
        for (JsonNode group : file.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                rules.add(new AlertRule(rule.path("alert").asText(null), rule.path("expr").asText(null),
                        rule.path("labels"), rule.path("annotations")));
            }
        }
        return rules;
    }

    static JsonNode dashboard() {
        return read(DASHBOARD, new ObjectMapper());
    }

    static List<PanelQuery> panelQueries() {
        List<PanelQuery> queries = new ArrayList<>();
        for (JsonNode panel : dashboard().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new PanelQuery(panel.path("title").asText(), target.path("expr").asText()));
            }
        }
        return queries;
    }

    /**
     * The dashboard's expression as Prometheus would receive it: Grafana's variables replaced by what they stand for
     * (every worker, a five-minute rate window).
     */
    static String asPrometheusQuery(String dashboardExpr) {
        return dashboardExpr.replace("$__rate_interval", "5m").replace("$instance", ".*");
    }

    /**
     * The series an expression reads, by name: what is left once strings, label matchers, range selectors, grouping
     * label lists, function names and keywords are taken out. Series Prometheus makes itself ({@code up}) are left
     * out.
     */
    static Set<String> seriesNames(String expr) {
        String stripped = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^\\]]*]", " ");
        stripped = GROUPING.matcher(stripped).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher matcher = IDENTIFIER.matcher(stripped);
        while (matcher.find()) {
            String name = matcher.group(1);
            boolean function = matcher.group(2) != null;
            if (!function && !KEYWORDS.contains(name.toLowerCase()) && !PROMETHEUS_OWN.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static JsonNode read(Path file, ObjectMapper mapper) {
        try {
            return mapper.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
