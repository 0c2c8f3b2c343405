package dev.grpcspring.benchmarks.scaling;

import dev.grpcspring.benchmarks.Options;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code chart --in=DIR|FILE.csv [--out=DIR]}: draws the charts and the page of a {@code scaling}
 * run again from its {@code results.csv} (after a change to how they are drawn, or to merge runs
 * by concatenating their CSVs).
 */
public final class ChartCommand {
  private ChartCommand() {}

  public static int run(Options options, PrintStream out) throws Exception {
    Path in = Path.of(options.required("in"));
    String outOption = options.string("out", null);
    options.checkAllUsed();
    Path csv = Files.isDirectory(in) ? in.resolve(ScalingReport.CSV) : in;
    if (!Files.isRegularFile(csv)) {
      throw new IllegalArgumentException("No scaling results at " + csv + ": give --in=DIR of a"
          + " scaling run (its " + ScalingReport.CSV + ") or the CSV file itself");
    }
    Path outDir = outOption != null ? Path.of(outOption) : csv.toAbsolutePath().getParent();
    List<Path> written = new ScalingReport(ScalingResults.readCsv(csv)).write(outDir);
    out.println("chart: wrote " + String.join(", ",
        written.stream().map(p -> p.getFileName().toString()).toList()) + " to " + outDir);
    return 0;
  }
}
