package io.weft.ipam;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The smallest application that wires IPAM's services, for this module's tests. */
@SpringBootApplication
public class IpamTestApplication {}
