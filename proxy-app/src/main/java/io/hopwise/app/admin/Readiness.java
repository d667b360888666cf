package io.hopwise.app.admin;

/** Whether the proxy should get traffic: /readyz says 200 only while READY. */
public final class Readiness {
  /** Lifecycle as a load balancer sees it. */
  public enum State { STARTING, READY, DRAINING }

  private volatile State state = State.STARTING;

  public State state() {
    return state;
  }

  public void ready() {
    state = State.READY;
  }

  public void draining() {
    state = State.DRAINING;
  }
}
