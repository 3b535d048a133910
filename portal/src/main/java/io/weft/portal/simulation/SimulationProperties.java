package io.weft.portal.simulation;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code weft.simulation.hosts}: how many simulated hosts the application runs (0 turns them off);
 * {@code weft.simulation.vm-slots}: VM capacity of each.
 */
@ConfigurationProperties("weft.simulation")
public record SimulationProperties(Integer hosts, Integer vmSlots) {

  public SimulationProperties {
    hosts = hosts == null ? 4 : hosts;
    vmSlots = vmSlots == null ? 16 : vmSlots;
  }
}
