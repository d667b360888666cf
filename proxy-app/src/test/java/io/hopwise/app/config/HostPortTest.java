package io.hopwise.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "127.0.0.1:3128, 127.0.0.1, 3128",
      "0.0.0.0:0,      0.0.0.0,   0",
      "localhost:65535, localhost, 65535",
      "proxy-1.example.com:80, proxy-1.example.com, 80",
      "[::1]:3128,     ::1,       3128",
      "[::]:8080,      ::,        8080",
      "[fe80::1%eth0]:3128, fe80::1%eth0, 3128",
  })
  void parses(String text, String host, int port) {
    HostPort hp = HostPort.parse(text);
    assertEquals(new HostPort(host, port), hp);
    assertEquals(text, hp.toString());
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {
      "", "x", "3128", ":3128", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:31 28",
      "127.0.0.1:3128x", "::1:3128", "[::1]", "[::1]3128", "[]:3128", "[host]:3128", "[::1:3128",
      "a b:80", "http://h:80", "h:0x50",
  })
  void rejects(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text));
    assertEquals("expected HOST:PORT, got '" + text + "'", e.getMessage());
  }
}
