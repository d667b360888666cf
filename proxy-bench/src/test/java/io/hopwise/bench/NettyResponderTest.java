package io.hopwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NettyResponderTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "wrk's close               | GET /small HTTP/1.1\\r\\nHost: a\\r\\nConnection: close\\r\\n\\r\\n | true",
      "any case, in a list       | GET / HTTP/1.1\\r\\nCONNECTION: Keep-Alive, Close\\r\\n\\r\\n     | true",
      "keep-alive                | GET / HTTP/1.1\\r\\nHost: a\\r\\nConnection: keep-alive\\r\\n\\r\\n | false",
      "no Connection field       | GET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                         | false",
      "close elsewhere           | GET /close HTTP/1.1\\r\\nX-Connection-Note: close\\r\\n\\r\\n      | false",
  })
  void asksToCloseReadsOnlyTheConnectionField(String name, String head, boolean expected) {
    assertEquals(expected, NettyResponder.asksToClose(head.replace("\\r\\n", "\r\n")), name);
  }
}
