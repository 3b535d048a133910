package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant signed up through the REST API with its first admin's client: the tenant the API tests
 * act as (and, signed up again, the attacker they test against).
 *
 * @param id the tenant's id
 * @param adminEmail its first admin's sign-in name
 * @param api that admin's client
 */
record ApiTenant(String id, String adminEmail, ApiClient api) {

  static final String PASSWORD = "a long passphrase 42";

  /** A VM the test created and the id of its one vNIC. */
  record CreatedVm(String id, String nicId) {}

  /**
   * Signs up a new tenant whose admin's email starts with {@code emailPrefix}; fails unless 201.
   */
  static ApiTenant signUp(int port, String emailPrefix) {
    String email =
        emailPrefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.example";
    ApiClient.Response created =
        ApiClient.anonymous(port)
            .post(
                "/api/v1/signup",
                Map.of("organization", "Org " + email, "adminEmail", email, "password", PASSWORD));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return new ApiTenant(created.id(), email, ApiClient.basic(port, email, PASSWORD));
  }

  /** The path of one of this tenant's resources, e.g. {@code path("/vms")}. */
  String path(String rest) {
    return "/api/v1/tenants/" + id + rest;
  }

  /** Creates a VM with one vNIC at a static address in the subnet; fails unless 201. */
  CreatedVm staticVm(String name, String subnetId, String address) {
    return created(
        api.post(
            path("/vms"),
            Map.of(
                "name",
                name,
                "nics",
                List.of(
                    Map.of("subnetId", subnetId, "addressing", "STATIC", "address", address)))));
  }

  /** Creates a VM with one vNIC that gets its address by DHCP; fails unless 201. */
  CreatedVm dhcpVm(String name, String subnetId) {
    return created(
        api.post(
            path("/vms"),
            Map.of(
                "name",
                name,
                "nics",
                List.of(Map.of("subnetId", subnetId, "addressing", "DHCP")))));
  }

  private static CreatedVm created(ApiClient.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return new CreatedVm(r.id(), r.body().path("nics").get(0).path("id").asString());
  }
}
