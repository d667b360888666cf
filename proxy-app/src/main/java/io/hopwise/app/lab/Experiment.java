package io.hopwise.app.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;

/** One of the lab's experiments: prints its table and returns its raw results. */
interface Experiment {
  String name();

  ObjectNode run(LabContext lab, PrintStream out) throws Exception;
}
