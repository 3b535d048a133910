package io.weft.fabric;

import java.util.List;

/**
 * What a caller asks for when creating a subnet.
 *
 * @param staticRange optional; where STATIC vNICs without an explicit address are numbered
 * @param reserved optional addresses kept out of every allocation
 */
public record NewSubnet(
    String name, String cidr, AddressRange staticRange, List<String> reserved) {}
