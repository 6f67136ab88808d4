package io.gatepass.server.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A bar chart of counts per minute for the last hour, laid out on the server and drawn as SVG by the template: no
 * chart library, nothing for the browser to run, and the numbers also in words for readers without the picture.
 *
 * @param id    the element id, unique on the page
 * @param unit  what one count is, for the bars' titles ("tokens")
 */
public record Chart(String id, String title, String unit, long total, long peak, List<Bar> bars, int width, int height) {
    static final int MINUTES = io.gatepass.server.metrics.MinuteCounts.MINUTES;
    private static final int BAR_WIDTH = 10;
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    /** One minute's bar, in SVG user units; its title says the minute and the count. */
    public record Bar(int x, int y, int width, int height, String label) {
    }

    /**
     * @param counts      the count of each of the last {@value #MINUTES} minutes, oldest first
     * @param firstMinute the first of them, in epoch minutes
     */
    static Chart of(String id, String title, String unit, long[] counts, long firstMinute, int height) {
        long peak = 0;
        long total = 0;
        for (long count : counts) {
            peak = Math.max(peak, count);
            total += count;
        }
        List<Bar> bars = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) continue;
            // at least 2 units tall: one token in a busy hour still shows
            int barHeight = (int) Math.max(2, Math.round((double) counts[i] * height / peak));
            String minute = MINUTE.format(Instant.ofEpochSecond((firstMinute + i) * 60));
            bars.add(new Bar(i * BAR_WIDTH + 1, height - barHeight, BAR_WIDTH - 2, barHeight,
                    minute + " UTC: " + counts[i] + " " + unit));
        }
        return new Chart(id, title, unit, total, peak, List.copyOf(bars), counts.length * BAR_WIDTH, height);
    }
}
