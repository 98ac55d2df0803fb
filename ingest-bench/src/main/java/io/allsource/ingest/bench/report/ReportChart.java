package io.allsource.ingest.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Draws a report as one PNG (JFreeChart): above, the events per second of the pipeline per workload side by side with
 * the seed design, the batch store, the database ceiling and the broker ceilings; below, the latency percentiles of
 * every workload at every rate, on a logarithmic axis.
 */
final class ReportChart {

    private static final int WIDTH = 1200;
    private static final int THROUGHPUT_HEIGHT = 560;
    private static final int LATENCY_HEIGHT = 640;
    private static final String[] PERCENTILES = {"p50", "p95", "p99", "p99.9", "max"};

    private ReportChart() {
    }

    static void writePng(BenchReport report, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, THROUGHPUT_HEIGHT + LATENCY_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.drawImage(throughputChart(report).createBufferedImage(WIDTH, THROUGHPUT_HEIGHT), 0, 0, null);
            graphics.drawImage(latencyChart(report).createBufferedImage(WIDTH, LATENCY_HEIGHT), 0, THROUGHPUT_HEIGHT,
                    null);
        } finally {
            graphics.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static JFreeChart throughputChart(BenchReport report) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        String series = "events/s";
        for (WorkloadFigures workload : report.pipeline()) {
            dataset.addValue(workload.maximum().eventsPerSecond(), series, "pipeline " + workload.workload());
        }
        dataset.addValue(report.seedDesign().eventsPerSecond(), series, "seed design");
        dataset.addValue(report.batchStore().eventsPerSecond(), series, "batch store alone");
        dataset.addValue(report.databaseCeiling().eventsPerSecond(), series, "database ceiling (COPY)");
        for (WorkloadFigures workload : report.pipeline()) {
            if (!workload.preload().preloaded()) { // a preloaded schema's ceiling is the empty one's: the same bytes
                dataset.addValue(workload.brokerCeiling().eventsPerSecond(), series,
                        "broker ceiling " + workload.workload());
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("Throughput (events/s), " + report.preset() + " run, "
                + report.startedAt(), null, "events per second", dataset, PlotOrientation.HORIZONTAL, false, false,
                false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer renderer = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return colourOf(dataset.getColumnKey(column).toString());
            }
        };
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                new DecimalFormat("#,##0")));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3,
                TextAnchor.CENTER_LEFT));
        plot.getRangeAxis().setUpperMargin(0.12);
        plot.setRenderer(renderer);
        return chart;
    }

    private static Color colourOf(String contender) {
        if (contender.startsWith("pipeline")) {
            return new Color(0x1f77b4);
        }
        if (contender.startsWith("broker")) {
            return new Color(0x9467bd);
        }
        if (contender.startsWith("database")) {
            return new Color(0x2ca02c);
        }
        return contender.startsWith("seed") ? new Color(0xd62728) : new Color(0xff7f0e);
    }

    /** One colour per workload, one dash pattern per rate, so that 12 lines stay readable. */
    private static LineAndShapeRenderer latencyRenderer(BenchReport report) {
        Color[] colours = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
                new Color(0x8c564b)};
        float[][] dashes = {{2f, 3f}, {8f, 4f}, {1f, 0f}};
        LineAndShapeRenderer renderer = new LineAndShapeRenderer(true, true);
        int series = 0;
        for (int w = 0; w < report.pipeline().size(); w++) {
            int rates = report.pipeline().get(w).fixedRates().size();
            for (int r = 0; r < rates; r++, series++) {
                renderer.setSeriesPaint(series, colours[w % colours.length]);
                renderer.setSeriesStroke(series, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                        10f, dashes[Math.min(r, dashes.length - 1)], 0f));
            }
        }
        return renderer;
    }

    private static JFreeChart latencyChart(BenchReport report) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        for (WorkloadFigures workload : report.pipeline()) {
            for (PhaseFigures phase : workload.fixedRates()) {
                String series = String.format("%s @ %s (%,.0f/s)", workload.workload(), phase.phase(),
                        phase.targetCommandsPerSecond());
                LatencySummary latency = phase.latencyMs();
                double[] values = {latency.p50(), latency.p95(), latency.p99(), latency.p999(), latency.max()};
                for (int i = 0; i < PERCENTILES.length; i++) {
                    dataset.addValue(Math.max(0.01, values[i]), series, PERCENTILES[i]);
                }
            }
        }
        JFreeChart chart = ChartFactory.createLineChart("Latency, intended send to result, at fixed rates (open loop)",
                "percentile", "milliseconds", dataset);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        LogAxis axis = new LogAxis("milliseconds (log scale)");
        axis.setSmallestValue(0.01);
        axis.setBase(10);
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.##"));
        plot.setRangeAxis(axis);
        plot.setRenderer(latencyRenderer(report));
        return chart;
    }
}
