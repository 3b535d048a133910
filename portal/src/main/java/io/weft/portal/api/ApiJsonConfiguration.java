package io.weft.portal.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.weft.fabric.DhcpRangeId;
import io.weft.fabric.ExternalHostId;
import io.weft.fabric.ExternalMachineId;
import io.weft.fabric.HostId;
import io.weft.fabric.LogicalNetworkId;
import io.weft.fabric.Placement;
import io.weft.fabric.SubnetId;
import io.weft.fabric.TenantId;
import io.weft.fabric.Vm;
import io.weft.fabric.VmId;
import io.weft.fabric.VmNetworkId;
import io.weft.fabric.VnicId;
import io.weft.fabric.identity.AccountId;
import java.util.List;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.ToStringSerializer;

/**
 * How the fabric's records look in JSON: ids are plain strings, and a VM's placement is left out
 * entirely when absent (tenants never see hosts).
 */
@Configuration(proxyBeanMethods = false)
class ApiJsonConfiguration {

  private static final List<Class<?>> IDS =
      List.of(
          TenantId.class,
          VmNetworkId.class,
          SubnetId.class,
          DhcpRangeId.class,
          LogicalNetworkId.class,
          HostId.class,
          ExternalHostId.class,
          ExternalMachineId.class,
          VmId.class,
          VnicId.class,
          AccountId.class);

  @Bean
  JacksonModule weftJsonModule() {
    SimpleModule module = new SimpleModule("weft");
    for (Class<?> id : IDS) {
      module.addSerializer(id, ToStringSerializer.instance);
    }
    module.setMixInAnnotation(Vm.class, VmMixin.class);
    return module;
  }

  abstract static class VmMixin {
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    abstract Optional<Placement> placement();
  }
}
