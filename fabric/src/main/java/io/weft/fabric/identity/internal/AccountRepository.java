package io.weft.fabric.identity.internal;

import io.weft.fabric.identity.Role;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface AccountRepository extends JpaRepository<AccountEntity, UUID> {

  Optional<AccountEntity> findByUsername(String username);

  long countByRole(Role role);

  List<AccountEntity> findByTenantIdOrderByUsername(UUID tenantId);
}
