package io.allsource.ingest.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a report as {@code <timestamp>.json} and {@code <timestamp>.png} into the results folder. */
public final class ReportFiles {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The files written. */
    public record Written(Path json, Path chart) {
    }

    private ReportFiles() {
    }

    public static Written write(BenchReport report, Path folder, String timestamp) throws IOException {
        Files.createDirectories(folder);
        Path json = folder.resolve(timestamp + ".json");
        JSON.writeValue(json.toFile(), report);
        Path chart = folder.resolve(timestamp + ".png");
        ReportChart.writePng(report, chart);
        return new Written(json, chart);
    }
}
