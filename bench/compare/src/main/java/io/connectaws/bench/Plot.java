package io.connectaws.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** plot.png: throughput bars (ours, stock, physical limit) above start-time and memory bars (ours, stock). */
final class Plot {

    private static final Color OURS = new Color(0x1f77b4);
    private static final Color STOCK = new Color(0xff7f0e);
    private static final Color LIMIT = new Color(0x7f7f7f);

    private Plot() {
    }

    static void write(Results results, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Measurement> throughput = results.measurements.stream().filter(m -> m.unit.equals("events/s")).toList();
        List<Measurement> times = results.measurements.stream().filter(m -> m.id.startsWith("start.")).toList();
        List<Measurement> memory = results.measurements.stream().filter(m -> m.unit.equals("MiB")).toList();
        int width = 800;
        int height = 480;
        BufferedImage image = new BufferedImage(width * 2, height * 2, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        chart("Throughput (events/s, higher is better)", "events/s", throughput, true)
                .draw(g, new java.awt.Rectangle(0, 0, width * 2, height));
        chart("Start (s, lower is better)", "seconds", times, false)
                .draw(g, new java.awt.Rectangle(0, height, width, height));
        chart("Image and memory (MiB, lower is better)", "MiB", memory, false)
                .draw(g, new java.awt.Rectangle(width, height, width, height));
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static JFreeChart chart(String title, String axis, List<Measurement> measurements, boolean withLimit) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Measurement m : measurements) {
            String category = shortLabel(m.label);
            add(data, m.median(Measurement.OURS), "ours", category);
            add(data, m.median(Measurement.STOCK), "stock", category);
            if (withLimit) {
                add(data, m.median(Measurement.LIMIT), "physical limit", category);
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(title, null, axis, data, PlotOrientation.HORIZONTAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        for (int i = 0; i < data.getRowCount(); i++) {
            String row = (String) data.getRowKey(i);
            renderer.setSeriesPaint(i, row.equals("ours") ? OURS : row.equals("stock") ? STOCK : LIMIT);
        }
        return chart;
    }

    private static void add(DefaultCategoryDataset data, Double value, String series, String category) {
        if (value != null) {
            data.addValue(value, series, category);
        }
    }

    private static String shortLabel(String label) {
        return label.length() <= 48 ? label : label.substring(0, 47) + "…";
    }
}
