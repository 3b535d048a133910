package io.weft.bench.tables;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.bench.tables.BulkCloud.Cloud;
import io.weft.bench.tables.BulkCloud.SubnetRow;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import io.weft.fabric.HostId;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.TenantId;
import io.weft.fabric.Vm;
import io.weft.fabric.VmId;
import io.weft.fabric.VmService;
import io.weft.fabric.tables.AgentReport;
import io.weft.fabric.tables.HostTableService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The bulk generator at small scale: the cloud it writes passes the consistency checks, and the
 * fabric's services and incremental compiler work on it — after placements and live migrations made
 * through the services, every agent's table (snapshot after generation + deltas) equals the full
 * recompute, and the compiler's memory still matches the model.
 */
class BulkCloudTest {

  @Test
  void generatedCloudIsConsistentAndServicesWorkOnIt() throws Exception {
    try (ConfigurableApplicationContext ctx =
        new SpringApplicationBuilder(TablesBenchApplication.class)
            .run(
                "--spring.datasource.url=jdbc:h2:mem:bulk-"
                    + UUID.randomUUID()
                    + ";DB_CLOSE_DELAY=-1",
                "--spring.flyway.locations=classpath:db/migration/ipam,classpath:db/migration/fabric",
                "--spring.main.banner-mode=off",
                "--logging.level.root=warn",
                "--weft.admin-password=bench-password-123",
                "--spring.jpa.open-in-view=false")) {
      DataSource ds = ctx.getBean(DataSource.class);
      HostTableService tables = ctx.getBean(HostTableService.class);
      VmService vms = ctx.getBean(VmService.class);
      Cloud cloud = BulkCloud.generate(ctx, 6, 8, 4, 1);
      assertThat(cloud.vnics()).isEqualTo(32);
      assertThat(CloudCheck.check(ds, new Random(1), 8)).isEmpty();

      Map<HostId, HostTable> applied = new HashMap<>();
      for (HostId h : cloud.hosts()) {
        sync(tables, applied, h);
      }
      Random random = new Random(3);
      for (int i = 0; i < 6; i++) {
        SubnetRow s = cloud.subnets().get(random.nextInt(cloud.subnets().size()));
        Vm vm =
            vms.createVm(
                cloud.admin(s.tenant()),
                new TenantId(s.tenant()),
                new NewVm(
                    "x" + i,
                    List.of(new NewVnic(s.id().toString(), "STATIC", BulkCloud.address(100 + i)))));
        assertThat(vms.getVm(BulkCloud.OP, new TenantId(s.tenant()), vm.id()).placement())
            .as("placed by the fabric's policy")
            .isPresent();
        VmId mover = new VmId(cloud.vms().get(random.nextInt(cloud.vms().size())));
        HostId from =
            vms.getVm(BulkCloud.OP, vmTenant(vms, mover), mover).placement().get().hostId();
        HostId to = cloud.hosts().get((cloud.hosts().indexOf(from) + 1) % cloud.hosts().size());
        vms.migrate(BulkCloud.OP, mover, to);
        // Agents apply and report until the migration's make-before-break steps are done.
        for (int round = 0; round < 4; round++) {
          for (HostId h : cloud.hosts()) {
            sync(tables, applied, h);
          }
        }
      }
      for (HostId h : cloud.hosts()) {
        HostTable full = tables.intendedTable(h);
        assertThat(TableJson.digest(applied.get(h)))
            .as("host %s: snapshot + deltas vs full recompute", h)
            .isEqualTo(TableJson.digest(full));
      }
      assertThat(tables.migrations(BulkCloud.OP, 10))
          .allSatisfy(m -> assertThat(m.phase()).isEqualTo("DONE"));
      assertThat(CloudCheck.check(ds, new Random(2), 8)).isEmpty();
    }
  }

  private static TenantId vmTenant(VmService vms, VmId vm) {
    return vms.listAllVms(BulkCloud.OP).stream()
        .filter(v -> v.id().equals(vm))
        .findFirst()
        .orElseThrow()
        .tenantId();
  }

  private static void sync(HostTableService tables, Map<HostId, HostTable> applied, HostId h) {
    HostTable current = applied.get(h);
    long since = current == null ? 0 : current.generation();
    tables
        .changesSince(h, since)
        .ifPresent(m -> {
          if (current != null) {
            assertThat(m)
                .as("host %s after generation: deltas, not snapshots", h)
                .isInstanceOf(TableMessage.Delta.class);
          }
          HostTable next =
              switch (m) {
                case TableMessage.Snapshot s -> s.table();
                case TableMessage.Delta d -> d.delta().applyTo(current);
              };
          applied.put(h, next);
          tables.reportApplied(h, new AgentReport(next.generation(), null, null, null));
        });
  }
}
