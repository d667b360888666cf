package io.hopwise.policy;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One role's egress rules (issue 26): who has it (proxy-auth users, client CIDRs), where it may
 * go (destination host patterns and CIDRs to allow and to deny, ports, whether CONNECT), and what
 * a "no" means ({@link Mode}). {@link Roles} picks a client's role and applies its rules.
 *
 * @param allow and {@code deny}: host patterns ({@code example.com}, {@code *.example.com}) and
 *     CIDRs; a CIDR matches a target written as an address (in any spelling), never a name
 * @param ports the only destination ports allowed; empty: any port the global rules allow
 * @param connect whether the role may open CONNECT tunnels
 */
public record Role(String name, Mode mode, List<String> users, List<String> clients, List<String> allow,
    List<String> deny, PortRanges ports, boolean connect) {

  /** What the role does with a destination its rules would deny. */
  public enum Mode {
    /** Refuse it (403). */
    ENFORCE,
    /** Let it through and record "report-deny": how an allow-list is built from real traffic. */
    REPORT,
    /** Let everything through; the rules are not consulted. */
    OPEN;

    public static Mode parse(String s) {
      for (Mode m : values()) {
        if (m.configName().equals(s)) {
          return m;
        }
      }
      throw new IllegalArgumentException("mode must be enforce, report or open, got '" + s + "'");
    }

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The role of a client no configured role claims: open, so the global access rules alone decide. */
  public static final Role DEFAULT = new Role("default", Mode.OPEN, List.of(), List.of(), List.of(), List.of(),
      PortRanges.NONE, true);

  public Role {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("role name must be letters, digits, '.', '_' or '-', got '" + name + "'");
    }
    Objects.requireNonNull(mode, "mode");
    users = List.copyOf(users);
    clients = List.copyOf(clients);
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
    Objects.requireNonNull(ports, "ports");
    clients.forEach(Cidr::parse); // each throws naming a bad value
    RoleRules.of(allow);
    RoleRules.of(deny);
  }

  /** Binds one item of the config file's {@code roles.list}: a missing (or null) key takes its default. */
  @JsonCreator
  public static Role of(
      @JsonProperty("name") String name,
      @JsonProperty("mode") String mode,
      @JsonProperty("users") List<String> users,
      @JsonProperty("clients") List<String> clients,
      @JsonProperty("allow") List<String> allow,
      @JsonProperty("deny") List<String> deny,
      @JsonProperty("ports") PortRanges ports,
      @JsonProperty("connect") Boolean connect) {
    if (name == null) {
      throw new IllegalArgumentException("name must be given for every role");
    }
    return new Role(name, Mode.parse(requireNonNullElse(mode, "enforce")), requireNonNullElse(users, List.of()),
        requireNonNullElse(clients, List.of()), requireNonNullElse(allow, List.of()), requireNonNullElse(deny, List.of()),
        requireNonNullElse(ports, PortRanges.NONE), requireNonNullElse(connect, true));
  }
}
