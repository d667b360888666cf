package io.hopwise.options;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hopwise.policy.Role;
import io.hopwise.policy.Roles;
import java.util.List;

/**
 * {@code roles:} egress roles (issue 26): who may go where, per client. See {@link Roles} for how a
 * client's role is chosen and how its rules decide; with no roles every client has the built-in
 * open role and the {@code access} rules alone decide, as before roles existed.
 *
 * @param staticRole YAML key {@code static}: every client has this role (a sidecar: one role per
 *     pod, e.g. from the Downward API through {@code HOPWISE_ROLES_STATIC}); empty: none
 * @param defaultRole YAML key {@code default}: the role of a client no role claims; empty: the
 *     built-in open role
 * @param list the roles, in order (a client address in two roles' CIDRs gets the first)
 */
public record RolesOptions(
    @JsonProperty("static") String staticRole,
    @JsonProperty("default") String defaultRole,
    List<Role> list) {
  public static final RolesOptions DEFAULTS = of(null, null, null);

  public RolesOptions {
    list = List.copyOf(list);
    compile(list, defaultRole, staticRole); // checks the names and every rule now
  }

  /** Binds YAML: a missing (or null) key takes its default. */
  @JsonCreator
  public static RolesOptions of(
      @JsonProperty("static") String staticRole,
      @JsonProperty("default") String defaultRole,
      @JsonProperty("list") List<Role> list) {
    return new RolesOptions(requireNonNullElse(staticRole, ""), requireNonNullElse(defaultRole, ""),
        requireNonNullElse(list, List.of()));
  }

  /** The roles, ready to decide. */
  public Roles compiled() {
    return compile(list, defaultRole, staticRole);
  }

  private static Roles compile(List<Role> list, String defaultRole, String staticRole) {
    return Roles.of(list, defaultRole, staticRole);
  }
}
