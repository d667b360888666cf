package io.hopwise.app.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopwise.ProxyListener;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fan-out listener must pass on every event: an event it forgot would reach no one (the access log included). */
class ListenersTest {
  @Test
  void everyEventIsPassedOn() throws Exception {
    List<String> missing = new ArrayList<>();
    for (Method m : ProxyListener.class.getMethods()) {
      if (m.isDefault() && !Modifier.isStatic(m.getModifiers())) {
        Method impl = Listeners.class.getMethod(m.getName(), m.getParameterTypes());
        if (impl.getDeclaringClass() != Listeners.class) {
          missing.add(m.getName());
        }
      }
    }
    assertTrue(missing.isEmpty(), "Listeners does not pass on: " + missing);
  }
}
