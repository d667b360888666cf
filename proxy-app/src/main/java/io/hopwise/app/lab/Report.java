package io.hopwise.app.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The lab's report: one self-contained HTML file (no request leaves it: the plots are drawn by its
 * own script from the results embedded in it), one section per experiment with its table, its
 * plot and what it shows.
 */
final class Report {
  private Report() {}

  static String html(String resultsJson) {
    try (InputStream in = Report.class.getResourceAsStream("/lab/report.html")) {
      String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      // Inside a script element only "</" could end it early; JSON never needs it raw.
      return template.replace("/*LAB_JSON*/", resultsJson.replace("</", "<\\/"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
